package io.llmload.sim;

import io.llmload.collector.runfolder.AssertionsJson;
import static io.gatling.javaapi.core.CoreDsl.details;

import io.gatling.javaapi.core.Assertion;
import io.llmload.config.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gatling assertions of the percentile objectives ({@code -Dslo.ttft.p95=2s}, {@code
 * -Dslo.e2e.p99=...}, {@code -Dslo.errorRate=1%}) and, for run.json's {@code assertions}, what each
 * one asks, so that a merge of shards can judge them again over all shards' records (each shard's
 * Gatling judged only its own part). TPOT objectives are judged by the suite after the run.
 */
final class SloAssertions {
  private SloAssertions() {}

  static List<Assertion> of(Params params, RunLifecycle lifecycle, String requestName) {
    List<Assertion> out = new ArrayList<>();
    for (String metric : List.of("ttft", "tpot", "e2e")) {
      for (int p : new int[] {50, 90, 95, 99}) {
        Duration d = params.optionalDuration("slo." + metric + ".p" + p);
        if (d == null) continue;
        if (metric.equals("tpot")) {
          lifecycle.tpotObjective(requestName, p, d.toNanos() / 1e6);
          lifecycle.assertion(describe(requestName, AssertionsJson.TPOT_PERCENTILE, p, d.toNanos() / 1e6));
          continue;
        }
        String row = metric.equals("e2e") ? requestName : requestName + " " + metric;
        // Gatling's response times are whole milliseconds: the bound is compared at that resolution
        int boundMs = (int) Math.max(1, d.toMillis());
        out.add(details(row).responseTime().percentile(p).lte(boundMs));
        lifecycle.assertion(describe(row, AssertionsJson.RESPONSE_TIME_PERCENTILE, p, boundMs));
      }
    }
    String err = params.string("slo.errorRate");
    if (err != null) {
      String t = err.trim().replace("%", "");
      double pct;
      try {
        pct = Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw params.invalid("slo.errorRate: '" + err + "' is not a percentage, e.g. 1%");
      }
      if (pct < 0 || pct > 100) throw params.invalid("slo.errorRate: " + err + " is outside 0% to 100%");
      out.add(details(requestName).failedRequests().percent().lte(pct));
      lifecycle.assertion(describe(requestName, AssertionsJson.FAILED_PERCENT, null, pct));
    }
    return out;
  }

  private static Map<String, Object> describe(String row, String stat, Integer percentile, double bound) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(AssertionsJson.ROW, row);
    m.put(AssertionsJson.STAT, stat);
    if (percentile != null) m.put(AssertionsJson.PERCENTILE, percentile);
    m.put(AssertionsJson.LTE, bound);
    return m;
  }
}
