package io.llmload.sim;

import java.util.ArrayList;
import java.util.List;

/** Parses a list of concurrency levels such as {@code 1,2,4,8}. */
public final class Levels {
  private Levels() {}

  /**
   * @throws IllegalArgumentException naming {@code levels} when an entry is not a whole number >= 1
   */
  public static List<Integer> parse(String text) {
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      int n;
      try {
        n = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("levels: '" + p + "' is not a whole number; use e.g. 1,2,4,8");
      }
      if (n < 1) throw new IllegalArgumentException("levels: " + n + " is out of range; allowed: whole numbers >= 1");
      out.add(n);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("levels: empty; use e.g. 1,2,4,8");
    return out;
  }
}
