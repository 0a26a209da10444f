package io.llmload.report;

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
    if (summary.path(io.llmload.collector.runfolder.SummaryJson.CAPACITY).isObject()) out.add(CapacitySection.table(summary.path(io.llmload.collector.runfolder.SummaryJson.CAPACITY)));
    JsonNode phases = summary.path("phases");
    boolean slo = summary.path("slo").isObject();

    List<List<String>> rows = new ArrayList<>();
    for (JsonNode p : phases) {
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(p.path("window_s")),
          n(p.path("requests")), n(p.path("ok")), failures(p.path("failures")), pct(p.path("error_rate")),
          n(p.path("request_rate")), n(p.path("output_tokens")), n(p.path("output_tokens_per_s")),
          slo ? n(p.path("goodput_rps")) : "–", slo ? pct(p.path("good_fraction")) : "–"));
    }
    out.add(new Table("throughput", "Requests and throughput (measured window, warm-up excluded)",
        List.of("phase", "level", "window (s)", "requests", "ok", "failures", "error rate", "requests/s",
            "output tokens", "output tokens/s", "goodput (req/s)", "met SLO"), rows));

    rows = new ArrayList<>();
    for (JsonNode a : summary.path("assertions").path("results")) {
      rows.add(List.of(a.path("row").asText(), a.path("stat").asText().replace('_', ' ')
          + (a.has("percentile") ? " p" + a.path("percentile").asInt() : ""), "≤ " + n(a.path("lte")),
          n(a.path("actual")), n(a.path("requests")), a.path("held").asBoolean() ? "held" : "FAILED"));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("assertions", "Gatling assertions, judged over this folder's records: "
          + summary.path("assertions").path("verdict").asText().toUpperCase(java.util.Locale.ROOT)
          + " (response times from the " + summary.path("assertions").path("rows_from").asText() + " instant, whole ms)",
          List.of("row", "statistic", "bound", "actual", "requests", "result"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      if (!p.has("inputs_per_s")) continue;
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(p.path("inputs")), n(p.path("inputs_per_s")),
          n(p.path("input_tokens")), n(p.path("input_tokens_per_s"))));
    }
    if (!rows.isEmpty()) { // embeddings and rerank: what they deliver is inputs (documents), not output tokens
      out.add(new Table("inputs", "Inputs: embedded texts or ranked documents (measured window, ok requests)",
          List.of("phase", "level", "inputs", "inputs/s", "input tokens", "input tokens/s"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode t = p.path("tokens_per_s"), d = p.path("decode_tokens_per_s");
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(t.path("mean")), n(t.path("p5")),
          n(t.path("p50")), n(t.path("p95")), n(t.path("p99")), n(d.path("mean")), n(d.path("p5")), n(d.path("p50"))));
    }
    out.add(new Table("speed", "Per-request speed (tokens/s = output tokens / E2E; decode = after the first token)",
        List.of("phase", "level", "tokens/s mean", "p5", "p50", "p95", "p99", "decode tokens/s mean", "decode p5",
            "decode p50"), rows));

    String[][] latencies = {
        {"ttft_ms", "TTFT (ms, from send)"}, {"ttfo_ms", "TTFO, first non-reasoning output (ms)"},
        {"tpot_ms", "TPOT (ms)"}, {"itl_ms", "ITL (ms; every gap, or per-request means where records lack gaps: itl_basis)"},
        {"itl_request_mean_ms", "Per-request mean ITL (ms; one value per request)"},
        {"e2e_ms", "E2E (ms)"}, {"queue_delay_ms", "Queue delay: load-generator lateness (ms)"},
        {"ttft_from_scheduled_ms", "TTFT from the scheduled instant (ms)"}};
    for (String[] m : latencies) {
      rows = new ArrayList<>();
      for (JsonNode p : phases) {
        JsonNode s = p.path(m[0]);
        if (!s.isObject()) continue;
        rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(s.path("n")), n(s.path("mean")),
            n(s.path("p50")), n(s.path("p90")), n(s.path("p95")), n(s.path("p99")), n(s.path("max"))));
      }
      if (!rows.isEmpty()) {
        out.add(new Table(m[0], m[1], List.of("phase", "level", "n", "mean", "p50", "p90", "p95", "p99", "max"), rows));
      }
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode g = p.path("gpu");
      if (!g.isObject()) continue;
      JsonNode e = g.path("energy_j");
      String wh = e.isNumber() ? Num.auto(e.asDouble() / 3600) : "–";
      String src = g.path("energy_source").asText("");
      JsonNode c = g.path("energy_cost");
      String cost = c.isObject() ? Num.fmt(c.path("value").asDouble(), 4) + " " + c.path("currency").asText() : "–";
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(g.path("util_avg_pct")), n(g.path("util_max_pct")),
          n(g.path("power_avg_w")), n(g.path("power_max_w")), n(g.path("sm_clock_avg_mhz")),
          wh + (src.isEmpty() ? "" : " (" + src.replace('_', ' ') + ")"),
          n(g.path("j_per_token")), n(g.path("tokens_per_wh")), cost, n(g.path("mem_used_max_mib")),
          n(g.path("temp_max_c")), n(g.path("power_limit_w"))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("gpu", "GPU (measured window; power summed over GPUs)",
          List.of("phase", "level", "util avg (%)", "util max (%)", "power avg (W)", "power max (W)", "SM clock avg (MHz)",
              "energy (Wh)", "J/output token", "output tokens/Wh", "energy cost", "memory max (MiB)", "temp max (°C)",
              "power limit (W)"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode g = p.path("process");
      if (!g.isObject()) continue;
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(g.path("cpu_avg_pct")), n(g.path("cpu_max_pct")),
          n(g.path("rss_avg_mib")), n(g.path("rss_max_mib")), n(g.path("threads_max"))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("process", "Inference-server processes",
          List.of("phase", "level", "CPU avg (%)", "CPU max (%)", "RSS avg (MiB)", "RSS max (MiB)", "threads max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode c = p.path("connection");
      if (!c.isObject()) continue;
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(c.path("reused")), n(c.path("new")),
          pct(c.path("reused_share")), n(c.path("connect_ms").path("p50")), n(c.path("connect_ms").path("p99")),
          n(c.path("tls_ms").path("p50")), n(c.path("tls_ms").path("p99"))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("connection", "Connections (setup before the send, not in the latencies above)",
          List.of("phase", "level", "reused", "new", "reused share", "connect p50 (ms)", "connect p99 (ms)",
              "TLS p50 (ms)", "TLS p99 (ms)"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode h = p.path("host");
      if (!h.isObject()) continue;
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(h.path("cpu_avg_pct")), n(h.path("cpu_max_pct")),
          n(h.path("mem_used_max_mib")), n(h.path("cpu_energy_j")), n(h.path("cpu_j_per_token"))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("host", "Host (hardware/host.csv; CPU package energy from RAPL)",
          List.of("phase", "level", "CPU avg (%)", "CPU max (%)", "memory max (MiB)", "CPU energy (J)",
              "CPU J/output token"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      JsonNode t = p.path("server_tokens");
      if (!t.isObject()) continue;
      rows.add(List.of(p.path("name").asText(), lvl(p.path("level")), n(t.path("prompt_tokens_per_s")),
          n(t.path("generation_tokens_per_s")), n(t.path("client_output_tokens_per_s")),
          n(t.path("generation_vs_client"))));
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_tokens", "Server-counted tokens/s (counter rates over the window) beside the client's",
          List.of("phase", "level", "server prompt tokens/s", "server generation tokens/s", "client output tokens/s",
              "server / client"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path("server_metrics").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        rows.add(List.of(p.path("name").asText(), e.getKey(), n(e.getValue().path("avg")), n(e.getValue().path("max"))));
      }
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_metrics", "Server queue, batch and cache gauges (scraped; per label set where there are several)",
          List.of("phase", "gauge", "avg", "max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path("server_reported").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        rows.add(List.of(p.path("name").asText(), e.getKey(), n(e.getValue().path("n")), n(e.getValue().path("mean")),
            n(e.getValue().path("max"))));
      }
    }
    if (!rows.isEmpty()) {
      out.add(new Table("server_reported", "Server-reported per-request figures",
          List.of("phase", "figure", "n", "mean", "max"), rows));
    }

    rows = new ArrayList<>();
    for (JsonNode p : phases) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path("error_examples").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        for (JsonNode t : e.getValue()) rows.add(List.of(p.path("name").asText(), e.getKey(), t.asText()));
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
