package io.llmload.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes SYNTHETIC run folders for tests and the benchmark: a closed-loop concurrency sweep in
 * which, as on a continuous-batching server, each request slows down as concurrency rises while
 * aggregate throughput grows. Nothing here is a measurement. Mutable settings, test scope only.
 */
final class SyntheticRun {
  static final long T0_US = 1_800_000_000_000_000L;

  int[] levels = {1, 2, 4, 8, 16};
  double phaseSeconds = 10;
  double warmupSeconds = 1;
  int maxTokens = 128;
  /** Share of requests that end early with fewer tokens than max_tokens. */
  double shortShare = 0;
  /** Share of requests that fail with http_error. */
  double failShare = 0;
  /** Extra lateness of the load generator per request, ms. */
  double queueDelayMs = 0.2;
  long seed = 7;
  boolean gpu = true;
  /** Text put into every untrusted field the report may show (error, server, parameters...). */
  String payload;
  /** When set, the phases are stretched so that about this many records are written. */
  long targetRecords;
  /** Written into the name of every phase, for merged runs from several generators. */
  String generator = "gen-a";
  /** Records of definitions 2 with an itl_hist gap histogram (issue #13's contract). */
  boolean gapHistograms;
  long records;
  private final java.util.Map<Integer, String[]> histograms = new java.util.HashMap<>();

  static double ttftMs(int c) {
    return 20 + 8.0 * c;
  }

  static double itlMs(int c) {
    return 5 + 0.35 * c;
  }

  double e2eMs(int c) {
    return ttftMs(c) + (maxTokens - 1) * itlMs(c);
  }

  String phaseName(int c) {
    return "c" + c + (payload == null ? "" : payload);
  }

  Path write(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("hardware"));
    if (targetRecords > 0) {
      double perSecond = 0;
      for (int c : levels) perSecond += c / (e2eMs(c) / 1000.0);
      phaseSeconds = Math.max(1, targetRecords / perSecond + warmupSeconds);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode run = json.createObjectNode();
    run.put("schema", 1);
    run.put("note", "SYNTHETIC run folder written by SyntheticRun (tests), not a measurement");
    run.put("suite_version", "test");
    run.put("simulation", "io.llmload.simulations.ConcurrencySweep");
    run.put("run_folder", dir.getFileName().toString());
    run.put("target", "http://127.0.0.1:1");
    ObjectNode emu = run.putObject("emulator");
    emu.put("profile", payload == null ? "synthetic" : "synthetic" + payload);
    emu.put("seed", seed);
    emu.put("jitter", 0.05);
    emu.put("synthetic", true);
    run.put("protocol", "openai-chat");
    run.put("model", payload == null ? "synthetic-model" : "model" + payload);
    ObjectNode params = run.putObject("parameters");
    params.put("max_tokens", Integer.toString(maxTokens));
    params.put("api_key", "***");
    if (payload != null) params.put("prompt", payload);
    if (payload != null) {
      ObjectNode server = run.putObject("server");
      server.put("path", "/v1/models");
      server.putObject("body").put("id", payload);
    }
    long end = T0_US + (long) (levels.length * phaseSeconds * 1e6);
    run.put("start_epoch_us", T0_US);
    run.put("end_epoch_us", end);
    ArrayNode phases = run.putArray("phases");
    for (int i = 0; i < levels.length; i++) {
      ObjectNode p = phases.addObject();
      long ps = T0_US + (long) (i * phaseSeconds * 1e6);
      p.put("name", phaseName(levels[i]));
      p.put("level", levels[i]);
      p.put("start_epoch_us", ps);
      p.put("end_epoch_us", ps + (long) (phaseSeconds * 1e6));
      p.put("warmup_end_epoch_us", ps + (long) (warmupSeconds * 1e6));
    }
    run.put("complete", true);
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("run.json").toFile(), run);

    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(1024);
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("requests.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < levels.length; i++) {
        int c = levels[i];
        long ps = T0_US + (long) (i * phaseSeconds * 1e6);
        long pe = ps + (long) (phaseSeconds * 1e6);
        long warmEnd = ps + (long) (warmupSeconds * 1e6);
        for (int u = 0; u < c; u++) {
          long t = ps + (long) (u * 1000 + rnd.nextDouble() * 5000);
          int seq = 0;
          while (true) {
            double jitter = 0.95 + 0.1 * rnd.nextDouble();
            double ttft = ttftMs(c) * jitter;
            double itl = itlMs(c) * jitter;
            boolean fail = rnd.nextDouble() < failShare;
            int n = rnd.nextDouble() < shortShare ? maxTokens / 2 : maxTokens;
            double e2e = fail ? 40 : ttft + (n - 1) * itl;
            long sent = t + (long) (queueDelayMs * 1000);
            long done = sent + (long) (e2e * 1000);
            if (done > pe) break;
            record(b, c, u, ++seq, t, sent, done, sent < warmEnd, fail, ttft, itl, n, e2e);
            out.write(b.toString());
            records++;
            t = done;
          }
        }
      }
    }
    if (gpu) writeHardware(dir, end);
    return dir;
  }

  private void record(StringBuilder b, int c, int u, int seq, long sched, long sent, long done, boolean warm,
      boolean fail, double ttft, double itl, int n, double e2e) {
    b.setLength(0);
    b.append("{\"schema\":1,\"protocol\":\"openai-chat\",\"scenario\":\"sweep\",\"request\":\"chat\",\"phase\":");
    str(b, phaseName(c));
    b.append(",\"level\":").append(c).append(",\"warmup\":").append(warm).append(",\"user\":").append(u)
        .append(",\"seq\":").append(seq).append(",\"id\":\"").append(generator).append('-').append(c).append('-')
        .append(u).append('-').append(seq).append("\",\"scheduled_epoch_us\":").append(sched)
        .append(",\"sent_epoch_us\":").append(sent).append(",\"end_epoch_us\":").append(done)
        .append(",\"queue_delay_ms\":").append((sent - sched) / 1000.0).append(",\"max_tokens\":").append(maxTokens);
    if (fail) {
      b.append(",\"status\":\"http_error\",\"http_status\":503,\"e2e_ms\":").append(e2e).append(",\"error\":");
      str(b, payload == null ? "Service Unavailable (synthetic)" : "overloaded " + payload);
      b.append("}\n");
      return;
    }
    double last = ttft + (n - 1) * itl;
    b.append(",\"status\":\"ok\",\"http_status\":200,\"ttfb_ms\":").append(ttft / 2).append(",\"ttft_ms\":").append(ttft)
        .append(",\"ttfo_ms\":").append(ttft).append(",\"last_token_ms\":").append(last).append(",\"e2e_ms\":").append(e2e)
        .append(",\"tpot_ms\":").append(itl).append(",\"itl_ms\":{\"n\":").append(n - 1).append(",\"mean\":").append(itl)
        .append(",\"p50\":").append(itl).append(",\"p90\":").append(itl * 1.2).append(",\"p99\":").append(itl * 1.5)
        .append(",\"max\":").append(itl * 2).append('}');
    if (gapHistograms) {
      String[] v = histograms.computeIfAbsent(c, k -> gapVariants(itlMs(k), n - 1));
      b.append(",\"definitions\":2,\"itl_hist\":\"").append(v[(int) (records % v.length)]).append('"');
    }
    b.append(",\"output_tokens\":").append(n)
        .append(",\"output_tokens_source\":\"usage\",\"chunk_tokens\":").append(n).append(",\"chunks\":").append(n + 2)
        .append(",\"prompt_tokens\":64,\"finish_reason\":").append(n < maxTokens ? "\"stop\"" : "\"length\"")
        .append(",\"tokens_per_s\":").append(n / (e2e / 1000)).append(",\"decode_tokens_per_s\":")
        .append((n - 1) / ((last - ttft) / 1000)).append(",\"server\":{\"timings\":{\"predicted_n\":").append(n);
    if (payload != null) {
      b.append(",");
      str(b, payload);
      b.append(":1.5,\"note\":");
      str(b, payload);
    }
    b.append("}}}\n");
  }

  // A few gap histograms per level (jittered around its ITL), reused: encoding one per record would
  // make writing a million records slow.
  private String[] gapVariants(double itlMs, int gaps) {
    SplittableRandom r = new SplittableRandom(seed ^ gaps);
    String[] out = new String[16];
    for (int i = 0; i < out.length; i++) {
      org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
      for (int k = 0; k < gaps; k++) h.recordValue(Math.round(itlMs * 1000 * (0.8 + 0.4 * r.nextDouble())));
      out[i] = ItlAndDefinitionsTest.encode(h);
    }
    return out;
  }

  private static void str(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') b.append('\\').append(ch);
      else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
      else b.append(ch);
    }
    b.append('"');
  }

  // One GPU whose power falls with batching per token; the energy counter integrates it exactly.
  private void writeHardware(Path dir, long endUs) throws IOException {
    long stepMs = targetRecords > 100_000 ? 1000 : 100;
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("hardware/gpu.csv"), StandardCharsets.UTF_8)) {
      out.write("epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,mem_used_mib,mem_total_mib,"
          + "power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w\n");
      double energyMj = 1_000_000;
      double prevW = Double.NaN;
      for (long ms = T0_US / 1000; ms <= endUs / 1000; ms += stepMs) {
        int phase = (int) Math.min(levels.length - 1, (ms - T0_US / 1000) / (phaseSeconds * 1000));
        int c = levels[phase];
        double w = 150 + 40 * Math.log(1 + c) / Math.log(2);
        if (!Double.isNaN(prevW)) energyMj += w * stepMs; // W × ms = mJ
        prevW = w;
        out.write(ms + ",synthetic,0,GPU-synthetic-0,Synthetic GPU," + Math.min(100, 30 + 10 * c) + ",20,30000,81559,"
            + w + "," + w + "," + (long) energyMj + "," + (1400 + 10 * c) + ",2619,60,700\n");
      }
    }
  }
}
