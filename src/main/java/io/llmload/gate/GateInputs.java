package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The gate's input checks: whether two runs may be compared, and which history runs count. */
final class GateInputs {
  private GateInputs() {}

  /** The history runs comparable with the current one and complete; the rest left out with a warning. */
  static List<Summary> comparableHistory(List<JsonNode> history, Summary cur, List<String> warnings) {
    List<Summary> out = new ArrayList<>();
    int left = 0;
    for (int i = 0; i < history.size(); i++) {
      Summary h = Summary.parse(history.get(i), "history run " + (i + 1), new ArrayList<>());
      if (h.complete && Comparability.differences(h, cur).isEmpty()) {
        out.add(h);
      } else {
        left++;
      }
    }
    if (left > 0) {
      warnings.add(left + " of the baseline's " + history.size() + " history runs left out: incomplete or"
          + " not comparable with the current run");
    }
    return out;
  }

  static void checkComparable(Summary base, Summary cur, GateOptions opts, List<String> warnings) {
    List<String> diffs = Comparability.differences(base, cur);
    if (diffs.isEmpty()) {
      return;
    }
    String msg = "baseline is not comparable with the current run: " + String.join("; ", diffs);
    if (!opts.force()) {
      throw new GateInputException(msg + " (pass -Dgate.force=true to compare anyway)");
    }
    warnings.add(msg + ", compared because forced");
  }
}
