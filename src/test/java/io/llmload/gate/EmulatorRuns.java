package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One short closed-loop run against the embedded emulator (SYNTHETIC server, real HTTP on
 * loopback): {@code users} threads stream openai-chat requests through the JDK HttpClient for a
 * warm-up plus a measured window, write requests.jsonl and run.json as the suite does, and the
 * aggregator turns them into the summary.json the gate reads. Bypasses Gatling to keep 40 runs
 * within minutes; the gate sees the same files either way.
 */
final class EmulatorRuns implements GatePowerBench.RunSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int users;
  private final Duration warmup;
  private final Duration measured;
  private final int maxTokens;
  private final boolean together;

  EmulatorRuns(int users, Duration warmup, Duration measured, int maxTokens) {
    this(users, warmup, measured, maxTokens, false);
  }

  /**
   * @param together as ConstantUsers without a ramp: every user starts at once and every request
   *     asks for the same {@code maxTokens} (the emulator then answers with exactly that many), so
   *     users may run in lock step; otherwise users start spread over the warm-up and ask for
   *     lengths from maxTokens / 2 to maxTokens
   */
  EmulatorRuns(int users, Duration warmup, Duration measured, int maxTokens, boolean together) {
    this.users = users;
    this.warmup = warmup;
    this.measured = measured;
    this.maxTokens = maxTokens;
    this.together = together;
  }

  @Override
  public JsonNode run(Map<String, String> config, long seed) throws Exception {
    Properties p = new Properties();
    config.forEach((k, v) -> p.setProperty(EmulatorConfig.PROPERTY_PREFIX + k, v));
    p.setProperty(EmulatorConfig.PROPERTY_PREFIX + "seed", Long.toString(seed));
    EmulatorConfig cfg = EmulatorConfig.fromProperties(p);
    Path dir = Files.createTempDirectory("gate-bench-");
    try {
      String profile = config.getOrDefault("profile", "seeds-7b");
      try (Emulator em = Emulator.start(cfg)) {
        load(em.baseUrl(), dir, profile, seed, config);
      }
      ObjectNode summary = Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false));
      return summary;
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private void load(String baseUrl, Path dir, String profile, long seed, Map<String, String> config)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    long startUs = epochUs();
    long t0 = System.nanoTime();
    long warmupEnd = t0 + warmup.toNanos();
    long end = warmupEnd + measured.toNanos();
    long warmupEndUs = startUs + warmup.toNanos() / 1000;
    long endUs = warmupEndUs + measured.toNanos() / 1000;
    String body = "{\"model\":\"emulated-llm\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Write a short note about regression testing of inference servers.\"}]}";
    Path requests = dir.resolve("requests.jsonl");
    AtomicLong ids = new AtomicLong();
    try (BufferedWriter w = Files.newBufferedWriter(requests, StandardCharsets.UTF_8)) {
      List<Thread> threads = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        int user = u;
        // users start spread over the warm-up and ask for varied output lengths, as a ramp and
        // real prompts do: users started together stay in lockstep in a closed loop, and their
        // requests then share one fate, so a run would hold far fewer independent samples than requests
        long startAt = together ? t0 : t0 + warmup.toNanos() * u / users;
        java.util.SplittableRandom lengths = new java.util.SplittableRandom(seed * 1_000_003L + u);
        Thread t = new Thread(() -> {
          int seq = 0;
          sleepUntil(startAt);
          while (System.nanoTime() < end) {
            int tokens = together ? maxTokens : maxTokens / 2 + lengths.nextInt(maxTokens - maxTokens / 2 + 1);
            String line = one(client, baseUrl, body, tokens, user, seq++, t0, startUs, warmupEnd,
                ids.incrementAndGet());
            synchronized (w) {
              try {
                w.write(line);
                w.write('\n');
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        }, "bench-user-" + u);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    ObjectNode run = JSON.createObjectNode();
    run.put("schema", 1);
    run.put("suite_version", "bench");
    run.put("simulation", "io.llmload.gate.GatePowerBench");
    run.put("run_folder", dir.getFileName().toString());
    run.put("target", baseUrl);
    ObjectNode em = run.putObject("emulator");
    em.put("profile", profile);
    em.put("seed", seed);
    em.put("jitter", Double.parseDouble(config.getOrDefault("jitter", "0")));
    em.put("synthetic", true);
    run.put("protocol", "openai-chat");
    run.put("model", "emulated-llm");
    ObjectNode params = run.putObject("parameters");
    config.forEach((k, v) -> params.put("emulator." + k, v));
    params.put("users", users);
    params.put("max_tokens", maxTokens);
    run.put("start_epoch_us", startUs);
    run.put("end_epoch_us", epochUs());
    ObjectNode ph = run.putArray("phases").addObject();
    ph.put("name", "c" + users);
    ph.put("level", users);
    ph.put("start_epoch_us", startUs);
    ph.put("end_epoch_us", endUs);
    ph.put("warmup_end_epoch_us", warmupEndUs);
    run.put("complete", true);
    Files.writeString(dir.resolve("run.json"), JSON.writeValueAsString(run));
  }

  /** One streamed request, as a requests.jsonl line. */
  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }

  private String one(HttpClient client, String baseUrl, String body, int outputTokens, int user, int seq, long t0,
      long startUs, long warmupEnd, long id) {
    ObjectNode r = JSON.createObjectNode();
    r.put("schema", 1);
    r.put("protocol", "openai-chat");
    r.put("scenario", "bench");
    r.put("request", "chat");
    r.put("phase", "c" + users);
    r.put("level", users);
    r.put("user", user);
    r.put("seq", seq);
    r.put("id", "bench-" + id);
    r.put("max_tokens", maxTokens);
    long sent = System.nanoTime();
    long sentUs = startUs + (sent - t0) / 1000;
    r.put("warmup", sent < warmupEnd);
    r.put("scheduled_epoch_us", sentUs);
    r.put("sent_epoch_us", sentUs);
    r.put("queue_delay_ms", 0.0);
    long first = 0;
    long last = 0;
    int chunks = 0;
    int contentChunks = 0;
    Integer usage = null;
    String finish = null;
    String status = "ok";
    Integer http = null;
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
          .header("x-request-id", "bench-" + id)
          .header("x-emulator-output-tokens", Integer.toString(outputTokens))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      http = resp.statusCode();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
        if (http != 200) {
          status = "http_error";
        } else {
          String line;
          while ((line = in.readLine()) != null) {
            if (!line.startsWith("data:")) {
              continue;
            }
            long now = System.nanoTime();
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
              break;
            }
            chunks++;
            JsonNode j = JSON.readTree(data);
            JsonNode u = j.path("usage");
            if (u.hasNonNull("completion_tokens")) {
              usage = u.get("completion_tokens").asInt();
            }
            JsonNode c0 = j.path("choices").path(0);
            String content = c0.path("delta").path("content").asText("");
            if (!content.isEmpty()) {
              contentChunks++;
              if (first == 0) {
                first = now;
              }
              last = now;
            }
            if (c0.hasNonNull("finish_reason")) {
              finish = c0.get("finish_reason").asText();
            }
          }
        }
      }
    } catch (Exception e) {
      status = "stream_error";
      r.put("error", e.getClass().getSimpleName());
    }
    long endNs = System.nanoTime();
    r.put("status", status);
    if (http != null) {
      r.put("http_status", http);
    }
    r.put("end_epoch_us", startUs + (endNs - t0) / 1000);
    double e2e = (endNs - sent) / 1e6;
    r.put("e2e_ms", e2e);
    int tokens = usage != null ? usage : contentChunks;
    r.put("output_tokens", tokens);
    r.put("output_tokens_source", usage != null ? "usage" : "chunks");
    r.put("chunk_tokens", contentChunks);
    r.put("chunks", chunks);
    if (finish != null) {
      r.put("finish_reason", finish);
    }
    if (first != 0) {
      r.put("ttft_ms", (first - sent) / 1e6);
      r.put("ttfo_ms", (first - sent) / 1e6);
      r.put("last_token_ms", (last - sent) / 1e6);
      if (tokens >= 2 && last > first) {
        r.put("tpot_ms", (last - first) / 1e6 / (tokens - 1));
        r.put("decode_tokens_per_s", (tokens - 1) / ((last - first) / 1e9));
      }
      r.put("tokens_per_s", tokens / (e2e / 1000));
    }
    return r.toString();
  }

  private static long epochUs() {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
