package io.llmload.report;

import io.llmload.collector.runfolder.AssertionsJson;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Connection;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Host;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.ServerGauge;
import io.llmload.collector.runfolder.SummaryJson.ServerTokens;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The report's tables, built once from summary.json and rendered as Markdown or HTML. */
final class ReportTables {

  record Table(String id, String title, List<String> headers, List<List<String>> rows) {}

  private ReportTables() {}

  static List<Table> build(JsonNode summary) {
    List<Table> out = new ArrayList<>();
    if (summary.path(SummaryJson.CAPACITY).isObject()) out.add(CapacitySection.table(summary.path(SummaryJson.CAPACITY)));
    JsonNode phases = summary.path(SummaryJson.PHASES);
    boolean slo = summary.path(SummaryJson.SLO).isObject();

    List<List<String>> rows = new ArrayList<>();
    for (JsonNode p : phases) {
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(p.path(Phase.WINDOW_S)),
          n(p.path(Phase.REQUESTS)), n(p.path(Phase.OK)), failures(p.path(Phase.FAILURES)), pct(p.path(Phase.ERROR_RATE)),
          n(p.path(Phase.REQUEST_RATE)), n(p.path(Phase.OUTPUT_TOKENS)), n(p.path(Phase.OUTPUT_TOKENS_PER_S)),
          slo ? n(p.path(Phase.GOODPUT_RPS)) : "–", slo ? pct(p.path(Phase.GOOD_FRACTION)) : "–"));
    }
    out.add(new Table("throughput", "Requests and throughput (measured window, warm-up excluded)",
        List.of("phase", "level", "window (s)", "requests", "ok", "failures", "error rate", "requests/s",
            "output tokens", "output tokens/s", "goodput (req/s)", "met SLO"), rows));

    rows = new ArrayList<>();
    for (JsonNode a : summary.path(SummaryJson.ASSERTIONS).path(AssertionsJson.RESULTS)) {
      rows.add(List.of(a.path(AssertionsJson.ROW).asText(), a.path(AssertionsJson.STAT).asText().replace('_', ' ')
          + (a.has(AssertionsJson.PERCENTILE) ? " p" + a.path(AssertionsJson.PERCENTILE).asInt() : ""), "≤ " + n(a.path(AssertionsJson.LTE)),
          n(a.path(AssertionsJson.ACTUAL)), n(a.path(AssertionsJson.REQUESTS)), a.path(AssertionsJson.HELD).asBoolean() ? "held" : "FAILED"));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("assertions", "Gatling assertions, judged over this folder's records: "
          + summary.path(SummaryJson.ASSERTIONS).path(AssertionsJson.VERDICT).asText().toUpperCase(java.util.Locale.ROOT)
          + " (response times from the " + summary.path(SummaryJson.ASSERTIONS).path(AssertionsJson.ROWS_FROM).asText() + " instant, whole ms)",
          List.of("row", "statistic", "bound", "actual", "requests", "result"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      if (!p.has(Phase.INPUTS_PER_S)) continue;
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(p.path(Phase.INPUTS)), n(p.path(Phase.INPUTS_PER_S)),
          n(p.path(Phase.INPUT_TOKENS)), n(p.path(Phase.INPUT_TOKENS_PER_S))));
    }
    if (!rows.isEmpty()) { // embeddings and rerank: what they deliver is inputs (documents), not output tokens
      out.add(new Table("inputs", "Inputs: embedded texts or ranked documents (measured window, ok requests)",
          List.of("phase", "level", "inputs", "inputs/s", "input tokens", "input tokens/s"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode t = p.path(Phase.TOKENS_PER_S), d = p.path(Phase.DECODE_TOKENS_PER_S);
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(t.path(Stats.MEAN)), n(t.path(Stats.P5)),
          n(t.path(Stats.P50)), n(t.path(Stats.P95)), n(t.path(Stats.P99)), n(d.path(Stats.MEAN)), n(d.path(Stats.P5)), n(d.path(Stats.P50))));
    }
    out.add(new Table("speed", "Per-request speed (tokens/s = output tokens / E2E; decode = after the first token)",
        List.of("phase", "level", "tokens/s mean", "p5", "p50", "p95", "p99", "decode tokens/s mean", "decode p5",
            "decode p50"), rows));

    String[][] latencies = {
        {Phase.TTFT_MS, "TTFT (ms, from send)"}, {Phase.TTFO_MS, "TTFO, first non-reasoning output (ms)"},
        {Phase.TPOT_MS, "TPOT (ms)"}, {Phase.ITL_MS, "ITL (ms; every gap, or per-request means where records lack gaps: itl_basis)"},
        {Phase.ITL_REQUEST_MEAN_MS, "Per-request mean ITL (ms; one value per request)"},
        {"e2e_ms", "E2E (ms)"}, {Phase.QUEUE_DELAY_MS, "Queue delay: load-generator lateness (ms)"},
        {Phase.TTFT_FROM_SCHEDULED_MS, "TTFT from the scheduled instant (ms)"}};
    for (String[] m : latencies) {
      rows = new ArrayList<>();
      for (JsonNode p : phases) {
        JsonNode s = p.path(m[0]);
        if (!s.isObject()) continue;
        rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(s.path(Stats.N)), n(s.path(Stats.MEAN)),
            n(s.path(Stats.P50)), n(s.path(Stats.P90)), n(s.path(Stats.P95)), n(s.path(Stats.P99)), n(s.path(Stats.MAX))));
      }
      if (!rows.isEmpty()) {
        out.add(new Table(m[0], m[1], List.of("phase", "level", "n", "mean", "p50", "p90", "p95", "p99", "max"), rows));
      }
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode g = p.path(Phase.GPU);
      if (!g.isObject()) continue;
      JsonNode e = g.path(Gpu.ENERGY_J);
      String wh = e.isNumber() ? Num.auto(e.asDouble() / 3600) : "–";
      String src = g.path(Gpu.ENERGY_SOURCE).asText("");
      JsonNode c = g.path(Gpu.ENERGY_COST);
      String cost = c.isObject() ? Num.fmt(c.path(Gpu.EnergyCost.VALUE).asDouble(), 4) + " " + c.path(Gpu.EnergyCost.CURRENCY).asText() : "–";
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(g.path(Gpu.UTIL_AVG_PCT)), n(g.path(Gpu.UTIL_MAX_PCT)),
          n(g.path(Gpu.POWER_AVG_W)), n(g.path(Gpu.POWER_MAX_W)), n(g.path(Gpu.SM_CLOCK_AVG_MHZ)),
          wh + (src.isEmpty() ? "" : " (" + src.replace('_', ' ') + ")"),
          n(g.path(Gpu.J_PER_TOKEN)), n(g.path(Gpu.TOKENS_PER_WH)), cost, n(g.path(Gpu.MEM_USED_MAX_MIB)),
          n(g.path(Gpu.TEMP_MAX_C)), n(g.path(Gpu.POWER_LIMIT_W))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("gpu", "GPU (measured window; power summed over GPUs)",
          List.of("phase", "level", "util avg (%)", "util max (%)", "power avg (W)", "power max (W)", "SM clock avg (MHz)",
              "energy (Wh)", "J/output token", "output tokens/Wh", "energy cost", "memory max (MiB)", "temp max (°C)",
              "power limit (W)"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode g = p.path(Phase.PROCESS);
      if (!g.isObject()) continue;
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(g.path(SummaryJson.Process.CPU_AVG_PCT)), n(g.path(SummaryJson.Process.CPU_MAX_PCT)),
          n(g.path(SummaryJson.Process.RSS_AVG_MIB)), n(g.path(SummaryJson.Process.RSS_MAX_MIB)), n(g.path(SummaryJson.Process.THREADS_MAX))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("process", "Inference-server processes",
          List.of("phase", "level", "CPU avg (%)", "CPU max (%)", "RSS avg (MiB)", "RSS max (MiB)", "threads max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode c = p.path(Phase.CONNECTION);
      if (!c.isObject()) continue;
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(c.path(Connection.REUSED)), n(c.path(Connection.NEW)),
          pct(c.path(Connection.REUSED_SHARE)), n(c.path(Connection.CONNECT_MS).path(Stats.P50)), n(c.path(Connection.CONNECT_MS).path(Stats.P99)),
          n(c.path(Connection.TLS_MS).path(Stats.P50)), n(c.path(Connection.TLS_MS).path(Stats.P99))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("connection", "Connections (setup before the send, not in the latencies above)",
          List.of("phase", "level", "reused", "new", "reused share", "connect p50 (ms)", "connect p99 (ms)",
              "TLS p50 (ms)", "TLS p99 (ms)"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode h = p.path(Phase.HOST);
      if (!h.isObject()) continue;
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(h.path(Host.CPU_AVG_PCT)), n(h.path(Host.CPU_MAX_PCT)),
          n(h.path(Host.MEM_USED_MAX_MIB)), n(h.path(Host.CPU_ENERGY_J)), n(h.path(Host.CPU_J_PER_TOKEN))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("host", "Host (hardware/host.csv; CPU package energy from RAPL)",
          List.of("phase", "level", "CPU avg (%)", "CPU max (%)", "memory max (MiB)", "CPU energy (J)",
              "CPU J/output token"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode t = p.path(Phase.SERVER_TOKENS);
      if (!t.isObject()) continue;
      rows.add(List.of(p.path(Phase.NAME).asText(), lvl(p.path(Phase.LEVEL)), n(t.path(ServerTokens.PROMPT_TOKENS_PER_S)),
          n(t.path(ServerTokens.GENERATION_TOKENS_PER_S)), n(t.path(ServerTokens.CLIENT_OUTPUT_TOKENS_PER_S)),
          n(t.path(ServerTokens.GENERATION_VS_CLIENT))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_tokens", "Server-counted tokens/s (counter rates over the window) beside the client's",
          List.of("phase", "level", "server prompt tokens/s", "server generation tokens/s", "client output tokens/s",
              "server / client"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path(Phase.SERVER_METRICS).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        rows.add(List.of(p.path(Phase.NAME).asText(), e.getKey(), n(e.getValue().path(ServerGauge.AVG)), n(e.getValue().path(ServerGauge.MAX))));
      }
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_metrics", "Server queue, batch and cache gauges (scraped; per label set where there are several)",
          List.of("phase", "gauge", "avg", "max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path(Phase.SERVER_REPORTED).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        rows.add(List.of(p.path(Phase.NAME).asText(), e.getKey(), n(e.getValue().path(Stats.N)), n(e.getValue().path(Stats.MEAN)),
            n(e.getValue().path(Stats.MAX))));
      }
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_reported", "Server-reported per-request figures",
          List.of("phase", "figure", "n", "mean", "max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path(Phase.ERROR_EXAMPLES).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        for (JsonNode t : e.getValue()) rows.add(List.of(p.path(Phase.NAME).asText(), e.getKey(), t.asText()));
      }
    }
    if (!rows.isEmpty()) {
      out.add(new Table("errors", "Error examples (server text, verbatim)", List.of("phase", "class", "error"), rows));
    }
    return out;
  }

  static String n(JsonNode v) {
    if (v == null || !v.isNumber()) return "–";
    if (v.isIntegralNumber()) return v.asText();
    return Num.auto(v.asDouble());
  }

  static String lvl(JsonNode v) {
    if (v == null || !v.isNumber()) return "–";
    double d = v.asDouble();
    return d == Math.rint(d) ? Long.toString((long) d) : Num.fmt(d, 2);
  }

  static String pct(JsonNode v) {
    if (v == null || !v.isNumber()) return "–";
    return Num.fmt(v.asDouble() * 100, 1) + "%";
  }

  private static String failures(JsonNode f) {
    if (!f.isObject() || f.isEmpty()) return "0";
    List<String> parts = new ArrayList<>();
    f.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
    return String.join(", ", parts);
  }
}
