package io.llmload.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether several run folders measured the same thing and may be merged: same model, protocol,
 * max_tokens and SLO. Folders that differ would average unlike requests into one figure.
 */
final class MergeCheck {
  private MergeCheck() {}

  /** What the folders must agree on, as {name, value} read from run.json. */
  private static List<String[]> facts(RunFolder f) {
    JsonNode params = f.field("parameters");
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {"model", text(f.field("model"))});
    out.add(new String[] {"protocol", text(f.field("protocol"))});
    String maxTokens = text(params.path("maxTokens"));
    out.add(new String[] {"max_tokens", maxTokens != null ? maxTokens : text(params.path("max_tokens"))});
    String slo = f.field("slo").isObject() ? f.field("slo").toString() : null;
    for (String p : new String[] {"slo.ttft", "slo.tpot", "slo.e2e", "slo.fraction"}) {
      String v = text(params.path(p));
      if (v != null) slo = (slo == null ? "" : slo + " ") + p + "=" + v;
    }
    out.add(new String[] {"SLO", slo});
    return out;
  }

  /**
   * @return the differences, one sentence each; empty when the folders agree
   */
  static List<String> differences(List<RunFolder> folders) {
    List<String> out = new ArrayList<>();
    if (folders.size() < 2) return out;
    List<String[]> first = facts(folders.get(0));
    for (int i = 1; i < folders.size(); i++) {
      List<String[]> other = facts(folders.get(i));
      for (int k = 0; k < first.size(); k++) {
        String a = first.get(k)[1], b = other.get(k)[1];
        if (!Objects.equals(a, b)) {
          out.add(String.format("%s and %s differ in %s (%s vs %s)", Aggregator.folderName(folders.get(0)),
              Aggregator.folderName(folders.get(i)), first.get(k)[0], shown(a), shown(b)));
        }
      }
    }
    return out;
  }

  private static String shown(String v) {
    return v == null ? "none" : "'" + RunFolder.oneLine(v) + "'";
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
