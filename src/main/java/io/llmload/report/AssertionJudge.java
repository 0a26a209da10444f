package io.llmload.report;

import io.llmload.collector.runfolder.AssertionsJson;
import io.llmload.collector.runfolder.RequestFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges the simulation's Gatling assertions ({@code assertions} in run.json) again over a run
 * folder's records, as Gatling judges them over its rows: every request of the run, warm-up
 * included; a request's row {@code name} spans from its send (open model: its scheduled instant)
 * to its end, the {@code "name ttft"} row to its first token, each truncated to whole epoch
 * milliseconds as Gatling logs them; response-time percentiles over ok and failed requests
 * (nearest rank); the failed percentage of the row; a TPOT percentile over ok requests. After a
 * merge of shards, this is the verdict over the whole load (each shard's Gatling saw its part).
 */
final class AssertionJudge {
  private AssertionJudge() {}

  /** The verdict and each assertion's actual value, or null when run.json declares none. */
  static ObjectNode judge(RunFolder f, ObjectMapper json) throws IOException {
    JsonNode declared = f.field("assertions");
    if (!declared.isArray() || declared.isEmpty()) return null;
    boolean open = Aggregator.openModel(List.of(f));
    Map<String, Row> rows = new HashMap<>();
    if (Files.isRegularFile(f.requests())) {
      try (BufferedReader r = Files.newBufferedReader(f.requests(), StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isBlank()) continue;
          JsonNode rec;
          try {
            rec = json.readTree(line);
          } catch (IOException e) {
            continue; // a torn line: the summary counts it as skipped
          }
          add(rows, rec, open);
        }
      }
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode results = json.createArrayNode();
    boolean all = true;
    for (JsonNode a : declared) {
      ObjectNode res = results.addObject();
      res.setAll((ObjectNode) a.deepCopy());
      Row row = rows.get(a.path(AssertionsJson.ROW).asText());
      String stat = a.path(AssertionsJson.STAT).asText();
      double bound = a.path(AssertionsJson.LTE).asDouble();
      Double actual;
      int n;
      if (stat.equals(AssertionsJson.FAILED_PERCENT)) {
        n = row == null ? 0 : row.count;
        actual = n == 0 ? 0.0 : 100.0 * row.failed / n;
      } else {
        List<Double> values = row == null ? List.of() : stat.equals(AssertionsJson.TPOT_PERCENTILE) ? row.tpot : row.spansMs;
        n = values.size();
        actual = n == 0 ? null : nearestRank(values, a.path(AssertionsJson.PERCENTILE).asInt());
      }
      // no request on a percentile's row fails it, as Gatling fails an assertion on an absent row
      boolean held = actual != null && actual <= bound;
      all &= held;
      res.put(AssertionsJson.REQUESTS, n);
      if (actual == null) res.putNull(AssertionsJson.ACTUAL);
      else res.put(AssertionsJson.ACTUAL, Num.round(actual));
      res.put(AssertionsJson.HELD, held);
    }
    out.put(AssertionsJson.VERDICT, all ? AssertionsJson.PASSED : AssertionsJson.FAILED);
    out.put(AssertionsJson.ROWS_FROM, open ? AssertionsJson.FROM_SCHEDULED : AssertionsJson.FROM_SENT);
    out.set(AssertionsJson.RESULTS, results);
    return out;
  }

  /** The one-line text of an assertion's result, as the console and the report show it. */
  static String text(JsonNode r) {
    String what = switch (r.path(AssertionsJson.STAT).asText()) {
      case AssertionsJson.FAILED_PERCENT -> "percentage of failed requests";
      case AssertionsJson.TPOT_PERCENTILE -> r.path(AssertionsJson.PERCENTILE).asInt() + "th percentile of TPOT (ms)";
      default -> r.path(AssertionsJson.PERCENTILE).asInt() + "th percentile of response time (ms)";
    };
    return String.format(Locale.ROOT, "%s: %s is less than or equal to %s : %s (actual : %s, %d requests)",
        r.path(AssertionsJson.ROW).asText(), what, Num.auto(r.path(AssertionsJson.LTE).asDouble()), r.path(AssertionsJson.HELD).asBoolean(),
        r.path(AssertionsJson.ACTUAL).isNumber() ? Num.auto(r.path(AssertionsJson.ACTUAL).asDouble()) : "no request", r.path(AssertionsJson.REQUESTS).asInt());
  }

  private static final class Row {
    int count;
    int failed;
    final List<Double> spansMs = new ArrayList<>();
    final List<Double> tpot = new ArrayList<>();
  }

  private static void add(Map<String, Row> rows, JsonNode rec, boolean open) {
    String name = rec.path(RequestFields.REQUEST).asText(null);
    if (name == null) return;
    boolean ok = "ok".equals(rec.path(RequestFields.STATUS).asText());
    long sent = rec.path(RequestFields.SENT_EPOCH_US).asLong(0);
    if (sent == 0) sent = rec.path(RequestFields.START_EPOCH_US).asLong(0);
    long startUs = open ? rec.path(RequestFields.SCHEDULED_EPOCH_US).asLong(sent) : sent;
    long startMs = Math.floorDiv(startUs, 1000);
    Row e2e = rows.computeIfAbsent(name, k -> new Row());
    e2e.count++;
    if (!ok) e2e.failed++;
    e2e.spansMs.add((double) (Math.floorDiv(rec.path(RequestFields.END_EPOCH_US).asLong(), 1000) - startMs));
    if (ok && rec.path(RequestFields.TPOT_MS).isNumber()) e2e.tpot.add(rec.path(RequestFields.TPOT_MS).asDouble());
    if (rec.path(RequestFields.TTFT_MS).isNumber() && sent != 0) {
      long first = sent + Math.round(rec.path(RequestFields.TTFT_MS).asDouble() * 1000);
      Row t = rows.computeIfAbsent(name + " ttft", k -> new Row());
      t.count++;
      if (!ok) t.failed++;
      t.spansMs.add((double) (Math.floorDiv(first, 1000) - startMs));
    }
  }

  private static double nearestRank(List<Double> values, int percentile) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v[Math.max(0, (int) Math.ceil(percentile / 100.0 * v.length) - 1)];
  }
}
