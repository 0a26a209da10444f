package io.llmload.report;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reuses the String of a text value that repeats from record to record (phase, status, finish
 * reason, shard...): a million records would otherwise make a million copies of {@code "ok"}, and
 * that garbage, not what the aggregator keeps, is what sizes its heap. The text is compared in the
 * parser's own character buffer, so a repeat allocates nothing. One instance per reading thread.
 */
final class RecentStrings {
  static final int PHASE = 0, STATUS = 1, FINISH_REASON = 2, TOKENS_SOURCE = 3, ITL_TOKENS = 4, SHARD = 5;
  private static final int FIELDS = 6;
  private static final int WAYS = 4; // distinct values remembered per field
  private static final int MAX_JOINED = 256;

  private final String[][] recent = new String[FIELDS][WAYS];
  private final int[] next = new int[FIELDS];
  // prefix → name → prefix + name, for nested server figures ("timings.predicted_ms")
  private final Map<String, Map<String, String>> joined = new HashMap<>();
  private int joinedCount;

  /** The current string value of {@code p}, the same instance as before when it repeats. */
  String text(JsonParser p, int field) throws IOException {
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    String[] seen = recent[field];
    for (String s : seen) {
      if (s != null && same(s, c, off, len)) return s;
    }
    String s = new String(c, off, len);
    seen[next[field]] = s;
    next[field] = (next[field] + 1) % WAYS;
    return s;
  }

  private static boolean same(String s, char[] c, int off, int len) {
    if (s.length() != len) return false;
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != c[off + i]) return false;
    }
    return true;
  }

  /** {@code prefix + name}, made once per pair (the parser hands out the same field-name instances). */
  String join(String prefix, String name) {
    Map<String, String> byName = joined.get(prefix);
    String s = byName == null ? null : byName.get(name);
    if (s != null) return s;
    s = prefix + name;
    if (joinedCount < MAX_JOINED) {
      joined.computeIfAbsent(prefix, k -> new HashMap<>()).put(name, s);
      joinedCount++;
    }
    return s;
  }
}
