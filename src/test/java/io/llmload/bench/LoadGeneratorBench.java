package io.llmload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's own cost and accuracy. The emulator runs in one JVM (fixed-rate profile:
 * every stream gets its tokens per second, one token per event), the suite in another; the
 * benchmark reads both JVMs' CPU time from /proc, the Gatling JVM's heap from its GC log, and the
 * client's TTFT error against the emulator's ground truth (the instant it wrote each first token).
 *
 * <pre>
 * mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.llmload.bench.LoadGeneratorBench -Dexec.args="streams 100,500"
 * </pre>
 *
 * Modes: {@code streams N,N,...} (closed model: CPU per token, TTFT error, heap),
 * {@code rates R,R,...} (open model: achieved rate, queue delay), {@code floor N,N,...} (the same
 * streams held by {@link FloorClient}, the least a JVM client can do: the floor of CPU per token
 * and of TTFT error on this machine), each repeated {@code --repeat}
 * times with medians printed. Options: {@code --tps 30 --duration 20s --tokens 300 --repeat 3},
 * {@code --ramp 10s} (open model: ramp up from rate/20 first), {@code --xmx 1g}, {@code --gc ZGC},
 * {@code --jvm "-Dx=y ..."}, {@code --jfr 1}, {@code --agentpath .../libasyncProfiler.so},
 * {@code --metrics 5s} (the live-metrics endpoint on, on a free loopback port, scraped at that
 * period by a plain HTTP client here, as Prometheus would: the exporter's end-to-end cost).
 */
public final class LoadGeneratorBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)");
  /** Heap before a collection: G1 "150M->93M(223M)", ZGC "102M(10%)->58M(6%)". */
  private static final Pattern GC = Pattern.compile("(\\d+)M(?:\\(\\d+%\\))?->(\\d+)M\\(");

  private final Map<String, String> opts = new HashMap<>();
  private final Path out;

  private LoadGeneratorBench(Map<String, String> opts) throws IOException {
    this.opts.putAll(opts);
    out = Path.of(opts.getOrDefault("out", "target/bench"));
    Files.createDirectories(out);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: streams N[,N...] | floor N[,N...] | rates R[,R...] [--tps 30] [--duration 20s] [--tokens 300] [--repeat 3]");
      System.exit(2);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 2; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    LoadGeneratorBench b = new LoadGeneratorBench(o);
    int repeat = Integer.parseInt(o.getOrDefault("repeat", "3"));
    for (String level : args[1].split(",")) {
      List<Map<String, Double>> runs = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        runs.add(switch (args[0]) {
          case "rates" -> b.openModel(Double.parseDouble(level), i);
          case "floor" -> b.floorModel(Integer.parseInt(level), i);
          default -> b.closedModel(Integer.parseInt(level), i);
        });
        System.out.println("  run " + (i + 1) + ": " + fmt(runs.get(runs.size() - 1)));
      }
      System.out.println((args[0].equals("rates") ? "rate " : args[0].equals("floor") ? "floor streams " : "streams ") + level + " median of " + repeat + ": " + fmt(median(runs)));
    }
  }

  /** N concurrent streams of tps tokens/s, one token per event. */
  private Map<String, Double> closedModel(int streams, int run) throws Exception {
    double tps = Double.parseDouble(opts.getOrDefault("tps", "30"));
    int tokens = Integer.parseInt(opts.getOrDefault("tokens", "300"));
    String duration = opts.getOrDefault("duration", "20s");
    Path dir = out.resolve("streams-" + streams + "-" + run);
    try (Child emu = emulator(dir, tps)) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("target", emu.url);
      p.put("users", Integer.toString(streams));
      p.put("duration", duration);
      // ramp over one request's length, so stream starts are spread evenly: with every stream
      // started in the same second, all first tokens of a wave would arrive in one burst
      p.put("ramp", Double.toString(Math.max(1, tokens / tps)) + "s");
      p.put("maxTokens", Integer.toString(tokens));
      p.put("collector", "off");
      p.put("console.period", "0s");
      p.put("idleTimeout", "120s");
      Scraper scraper = Scraper.ifAsked(opts.get("metrics"), p);
      Sampled gatling = runGatling("io.llmload.simulations.ConstantUsers", p, dir, emu);
      Map<String, Double> m = analyse(dir, gatling, emu, true);
      if (scraper != null) m.put("scrapes", (double) scraper.stop());
      return m;
    }
  }

  /** The streams of {@link #closedModel}, held by {@link FloorClient} instead of the suite. */
  private Map<String, Double> floorModel(int streams, int run) throws Exception {
    double tps = Double.parseDouble(opts.getOrDefault("tps", "30"));
    int tokens = Integer.parseInt(opts.getOrDefault("tokens", "300"));
    double durationS = io.llmload.config.Durations.parse("duration", opts.getOrDefault("duration", "20s")).toMillis() / 1000.0;
    double rampS = Math.max(1, tokens / tps);
    Path dir = out.resolve("floor-" + streams + "-" + run);
    try (Child emu = emulator(dir, tps)) {
      Path recs = dir.resolve("floor.jsonl");
      int port = Integer.parseInt(emu.url.substring(emu.url.lastIndexOf(':') + 1));
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", SimulationRunner.classPath(),
          FloorClient.class.getName(), Integer.toString(port), Integer.toString(streams), Integer.toString(tokens),
          Double.toString(durationS), Double.toString(rampS), recs.toString()));
      long startEpochUs = io.llmload.record.Epoch.nowUs();
      Process c = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("floor.log").toFile()).start();
      List<Sample> samples = new ArrayList<>();
      while (!c.waitFor(250, TimeUnit.MILLISECONDS)) {
        samples.add(new Sample(System.nanoTime(), ProcCpu.seconds(c.pid()), ProcCpu.seconds(emu.process.pid()), ProcCpu.userSeconds(c.pid())));
      }
      if (c.exitValue() != 0) {
        throw new IllegalStateException("floor client failed (exit " + c.exitValue() + "), see " + dir.resolve("floor.log"));
      }
      Map<String, JsonNode> truth = groundTruth(emu);
      long steadyStart = startEpochUs + (long) (rampS * 1e6);
      long steadyEnd = startEpochUs + (long) (durationS * 1e6);
      long ws = steadyStart + (steadyEnd - steadyStart) / 4;
      long we = steadyEnd - (steadyEnd - steadyStart) / 4;
      double tokensInWindow = 0;
      List<Double> ttftErr = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(recs)) {
        JsonNode r = JSON.readTree(line);
        n++;
        long sent = r.get("sent_epoch_us").asLong();
        double first = sent + r.get("ttft_ms").asDouble() * 1000;
        double last = sent + r.get("last_token_ms").asDouble() * 1000;
        double overlap = Math.max(0, Math.min(last, we) - Math.max(first, ws));
        tokensInWindow += last > first ? tokens * overlap / (last - first) : 0;
        if (first >= ws && first < we) {
          ttftError(truth.get(r.get("id").asText()), first, ttftErr);
        }
      }
      double windowS = (we - ws) / 1e6;
      double[] cpu = cpuOver(samples, List.of(), ws, we);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("requests", (double) n);
      m.put("window_s", windowS);
      m.put("tokens_per_s", tokensInWindow / windowS);
      m.put("client_cpu_pct", cpu[0] / windowS * 100);
      m.put("client_us_per_token", cpu[0] / tokensInWindow * 1e6);
      m.put("client_user_us_per_token", cpu[2] / tokensInWindow * 1e6);
      m.put("emulator_cpu_pct", cpu[1] / windowS * 100);
      m.put("ttft_err_p50_ms", pct(ttftErr, 0.50));
      m.put("ttft_err_p99_ms", pct(ttftErr, 0.99));
      return m;
    }
  }

  /** Client first token (epoch µs) minus the instant the emulator wrote it, in ms, if known. */
  private static void ttftError(JsonNode truth, double clientFirstEpochUs, List<Double> errorsMs) {
    if (truth == null || !truth.has("first_token_written_nanos")) return;
    double serverFirst = truth.get("received_epoch_us").asLong()
        + (truth.get("first_token_written_nanos").asLong() - truth.get("received_nanos").asLong()) / 1000.0;
    errorsMs.add((clientFirstEpochUs - serverFirst) / 1000.0);
  }

  private static Map<String, JsonNode> groundTruth(Child emu) throws IOException {
    Map<String, JsonNode> truth = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(emu.groundTruth)) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        truth.put(n.get("id").asText(), n);
      }
    }
    return truth;
  }

  /** An open-model run at a rate, with short streams. */
  private Map<String, Double> openModel(double rate, int run) throws Exception {
    double tps = Double.parseDouble(opts.getOrDefault("tps", "30"));
    String duration = opts.getOrDefault("duration", "20s");
    Path dir = out.resolve("rate-" + rate + "-" + run);
    try (Child emu = emulator(dir, tps)) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("target", emu.url);
      p.put("rate", Double.toString(rate));
      p.put("duration", duration);
      if (opts.containsKey("ramp")) {
        // a cold JVM compiles for its first seconds: ramp up to the rate, as a user would, and
        // measure the steady phase after it
        p.put("ramp", opts.get("ramp"));
        p.put("from", Double.toString(Math.max(1, rate / 20)));
      }
      p.put("maxTokens", opts.getOrDefault("tokens", "10"));
      p.put("collector", "off");
      p.put("console.period", "0s");
      Sampled gatling = runGatling("io.llmload.simulations.ArrivalRate", p, dir, emu);
      Map<String, Double> m = analyse(dir, gatling, emu, false);
      m.put("requested_rate", rate);
      return m;
    }
  }

  /** Scrapes the run's /metrics endpoint at a period while it runs, as Prometheus would. */
  private static final class Scraper {
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();

    private Scraper(int port, long periodMs) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/metrics");
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(periodMs);
            var r = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("llm_load_requests_total")) ok.incrementAndGet();
          } catch (InterruptedException e) {
            return;
          } catch (IOException e) {
            // not up yet, or gone
          }
        }
      }, "bench-scraper");
      thread.setDaemon(true);
      thread.start();
    }

    /** Null unless {@code --metrics PERIOD} was given; else puts the endpoint's properties in {@code p}. */
    static Scraper ifAsked(String period, Map<String, String> p) throws IOException {
      if (period == null) return null;
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      p.put("metrics.port", Integer.toString(port));
      p.put("metrics.host", "127.0.0.1");
      p.put("metrics.linger", "0s");
      return new Scraper(port, io.llmload.config.Durations.parse("metrics", period).toMillis());
    }

    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join();
      return ok.get();
    }
  }

  private record Sample(long nanos, double gatlingCpu, double emuCpu, double gatlingUser) {}

  private record Sampled(List<Sample> samples, Path runFolder, Path gcLog, int exit) {}

  private Sampled runGatling(String sim, Map<String, String> props, Path dir, Child emu) throws Exception {
    Path results = dir.resolve("results");
    Path gcLog = dir.resolve("gc.log");
    Map<String, String> p = new LinkedHashMap<>(props);
    List<String> jvm = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog));
    if (opts.containsKey("jfr")) {
      jvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("gatling.jfr") + ",settings=profile");
    }
    if (opts.containsKey("agentpath")) {
      // async-profiler (tools.profiler:async-profiler on Maven Central), CPU time incl. syscalls
      jvm.add("-agentpath:" + opts.get("agentpath") + "=start,event=itimer,interval=1ms,collapsed,file=" + dir.resolve("profile.collapsed"));
    }
    if (opts.containsKey("xmx")) jvm.add("-Xmx" + opts.get("xmx"));
    if (opts.containsKey("jvm")) jvm.addAll(List.of(opts.get("jvm").trim().split("\\s+")));
    if (opts.containsKey("gc")) jvm.add("-XX:+Use" + opts.get("gc"));
    Process g = SimulationRunner.start(sim, p, results, dir.resolve("gatling.log"), jvm);
    List<Sample> samples = new ArrayList<>();
    while (!g.waitFor(250, TimeUnit.MILLISECONDS)) {
      samples.add(new Sample(System.nanoTime(), ProcCpu.seconds(g.pid()), ProcCpu.seconds(emu.process.pid()), ProcCpu.userSeconds(g.pid())));
    }
    Path latest = results.resolve("LATEST");
    Path folder = Files.exists(latest) ? results.resolve(Files.readString(latest).trim()) : null;
    if (g.exitValue() != 0 || folder == null) {
      throw new IllegalStateException("gatling run failed (exit " + g.exitValue() + "), see " + dir.resolve("gatling.log"));
    }
    return new Sampled(samples, folder, gcLog, g.exitValue());
  }

  /**
   * Figures over the steady window (the middle of the run, all streams going): CPU per token and
   * per request from the two processes' CPU time, TTFT error against ground truth, heap peak.
   */
  private Map<String, Double> analyse(Path dir, Sampled s, Child emu, boolean closed) throws IOException {
    List<JsonNode> recs = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(s.runFolder.resolve("requests.jsonl"))) {
      String line;
      while ((line = r.readLine()) != null) recs.add(JSON.readTree(line));
    }
    Map<String, JsonNode> truth = groundTruth(emu);
    JsonNode run = JSON.readTree(s.runFolder.resolve("run.json").toFile());
    JsonNode phase = run.get("phases").get(run.get("phases").size() - 1);
    long phaseStart = phase.get("start_epoch_us").asLong();
    long phaseEnd = phase.get("end_epoch_us").asLong();
    // steady window: the middle half of the last phase
    long ws = phaseStart + (phaseEnd - phaseStart) / 4;
    long we = phaseEnd - (phaseEnd - phaseStart) / 4;

    double tokensInWindow = 0;
    long requestsInWindow = 0;
    int failed = 0;
    List<Double> ttftErr = new ArrayList<>();
    List<Double> queue = new ArrayList<>();
    long firstSent = Long.MAX_VALUE, lastSent = 0;
    long sentInWindow = 0;
    for (JsonNode n : recs) {
      if (!n.get("status").asText().equals("ok")) failed++;
      if (!n.has("sent_epoch_us")) continue;
      long sent = n.get("sent_epoch_us").asLong();
      firstSent = Math.min(firstSent, sent);
      lastSent = Math.max(lastSent, sent);
      if (sent >= ws && sent < we) {
        queue.add(n.path("queue_delay_ms").asDouble());
        sentInWindow++;
      }
      if (n.has("ttft_ms") && n.has("last_token_ms") && n.has("output_tokens")) {
        double first = sent + n.get("ttft_ms").asDouble() * 1000;
        double last = sent + n.get("last_token_ms").asDouble() * 1000;
        long toks = n.get("output_tokens").asLong();
        // tokens arrive evenly between the first and the last: count the share inside the window
        double overlap = Math.max(0, Math.min(last, we) - Math.max(first, ws));
        tokensInWindow += last > first ? toks * overlap / (last - first) : (first >= ws && first < we ? toks : 0);
        if (n.get("end_epoch_us").asLong() >= ws && n.get("end_epoch_us").asLong() < we) requestsInWindow++;
        // accuracy in steady state: the ramp's connection set-up and a cold JIT are not the client's error
        if (first >= ws && first < we) {
          ttftError(truth.get(n.get("id").asText()), first, ttftErr);
        }
      }
    }
    long windowNanos = (we - ws) * 1000;
    double[] cpu = cpuOver(s.samples, recs, ws, we);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("requests", (double) recs.size());
    m.put("failed", (double) failed);
    m.put("window_s", windowNanos / 1e9);
    m.put("tokens_per_s", tokensInWindow / (windowNanos / 1e9));
    m.put("client_cpu_pct", cpu[0] / (windowNanos / 1e9) * 100);
    m.put("client_us_per_token", tokensInWindow > 0 ? cpu[0] / tokensInWindow * 1e6 : Double.NaN);
    m.put("client_user_us_per_token", tokensInWindow > 0 ? cpu[2] / tokensInWindow * 1e6 : Double.NaN);
    m.put("client_us_per_request", requestsInWindow > 0 ? cpu[0] / requestsInWindow * 1e6 : Double.NaN);
    m.put("emulator_cpu_pct", cpu[1] / (windowNanos / 1e9) * 100);
    m.put("ttft_err_p50_ms", pct(ttftErr, 0.50));
    m.put("ttft_err_p99_ms", pct(ttftErr, 0.99));
    m.put("queue_delay_p99_ms", pct(queue, 0.99));
    m.put("heap_peak_mib", heapPeak(s.gcLog));
    if (!closed && lastSent > firstSent) {
      // requests sent in the steady window over its length: a ramp before it does not count
      m.put("achieved_rate", sentInWindow / (windowNanos / 1e9));
    }
    return m;
  }

  /** CPU seconds of the Gatling and emulator JVMs over the window, from the /proc samples. */
  private static double[] cpuOver(List<Sample> samples, List<JsonNode> recs, long wsEpochUs, long weEpochUs) {
    // samples are on this JVM's nanoTime; map the window through epoch now/nanoTime now
    long nowEpochUs = io.llmload.record.Epoch.nowUs();
    long nowNanos = System.nanoTime();
    long ws = nowNanos - (nowEpochUs - wsEpochUs) * 1000;
    long we = nowNanos - (nowEpochUs - weEpochUs) * 1000;
    Sample a = null, b = null;
    for (Sample s : samples) {
      if (s.nanos <= ws) a = s;
      if (s.nanos <= we) b = s;
    }
    if (a == null || b == null || b == a) return new double[] {Double.NaN, Double.NaN, Double.NaN};
    return new double[] {b.gatlingCpu - a.gatlingCpu, b.emuCpu - a.emuCpu, b.gatlingUser - a.gatlingUser};
  }

  private static double heapPeak(Path gcLog) throws IOException {
    if (!Files.exists(gcLog)) return Double.NaN;
    double peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC.matcher(line);
      if (m.find()) peak = Math.max(peak, Double.parseDouble(m.group(1)));
    }
    return peak;
  }

  private static double pct(List<Double> v, double q) {
    if (v.isEmpty()) return Double.NaN;
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a[Math.max(0, (int) Math.ceil(q * a.length) - 1)];
  }

  private static Map<String, Double> median(List<Map<String, Double>> runs) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String k : runs.get(0).keySet()) {
      double[] v = runs.stream().mapToDouble(r -> r.getOrDefault(k, Double.NaN)).sorted().toArray();
      m.put(k, v[v.length / 2]);
    }
    return m;
  }

  private static String fmt(Map<String, Double> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append('=').append(String.format(Locale.ROOT, v == Math.rint(v) && Math.abs(v) < 1e9 ? "%.0f" : "%.3f", v)).append("  "));
    return sb.toString().trim();
  }

  /** The emulator in its own JVM. */
  private final class Child implements AutoCloseable {
    final Process process;
    final String url;
    final Path groundTruth;

    Child(Process process, String url, Path groundTruth) {
      this.process = process;
      this.url = url;
      this.groundTruth = groundTruth;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  private Child emulator(Path dir, double tps) throws Exception {
    Files.createDirectories(dir);
    Path gt = dir.resolve("ground-truth.jsonl");
    Files.deleteIfExists(gt);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-cp", SimulationRunner.classPath(),
        "io.llmload.emulator.EmulatorMain", "--port", "0", "--profile", "fixed-rate",
        "--tokensPerSecond", Double.toString(tps), "--ground-truth", gt.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> { try { while (r.readLine() != null) { } } catch (IOException e) { } });
        drain.setDaemon(true);
        drain.start();
        return new Child(p, m.group(1), gt);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("emulator did not start: " + line);
  }
}
