package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent streams from the fixed-rate profile: all complete, on time, and what the
 * emulator's own threads cost per token. {@code -Demulator.scale.streams=N} (default 1000) and
 * {@code -Demulator.scale.tokens=T} (default 30) size it; at 30 tokens/s a stream lasts T/30 s.
 */
class EmulatorScaleTest {
  @Test
  void manyConcurrentStreamsCompleteOnTime() throws Exception {
    int streams = Integer.getInteger("emulator.scale.streams", 1000);
    int tokens = Integer.getInteger("emulator.scale.tokens", 30);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("fixed-rate"))) {
      long cpuBefore = emulatorCpuNanos(mx);
      long userBefore = emulatorUserNanos(mx);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":" + tokens + ",\"stream\":true}";
      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(e.baseUrl() + "/v1/chat/completions"))
            .header("x-request-id", "scale-" + i).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        fs.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      for (CompletableFuture<HttpResponse<String>> f : fs) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 200 && r.body().endsWith("data: [DONE]\n\n")) {
          ok++;
        }
      }
      double wallS = (System.nanoTime() - start) / 1e9;
      long cpu = emulatorCpuNanos(mx) - cpuBefore;
      long user = emulatorUserNanos(mx) - userBefore;
      assertEquals(streams, ok);
      double[] rates = new double[streams];
      for (int i = 0; i < streams; i++) {
        GroundTruth g = GroundTruthTest.awaitEnded(e, "scale-" + i);
        rates[i] = (tokens - 1) / ((g.lastTokenWrittenNanos() - g.firstTokenWrittenNanos()) / 1e9);
      }
      Arrays.sort(rates);
      double p50 = rates[streams / 2];
      double p05 = rates[streams / 20];
      long total = (long) streams * tokens;
      System.out.println(String.format(Locale.ROOT,
          "emulator scale: %d streams x %d tokens at 30 tok/s in %.2f s wall; per-stream decode rate p50 %.2f, p5 %.2f tok/s; "
              + "emulator threads %.0f ms CPU (%.0f ms of it in user space) = %.2f us per token, %.1f %% of one core",
          streams, tokens, wallS, p50, p05, cpu / 1e6, user / 1e6, cpu / 1e3 / total, cpu / 1e7 / wallS));
      assertEquals(30.0, p50, 3.0);
      assertTrue(p05 > 24, "p5 decode rate " + p05);
    }
  }

  private static long emulatorUserNanos(ThreadMXBean mx) {
    long sum = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && (t.getThreadName().startsWith("emulator-io") || t.getThreadName().equals("emulator-scheduler"))) {
        long c = mx.getThreadUserTime(t.getThreadId());
        if (c > 0) {
          sum += c;
        }
      }
    }
    return sum;
  }

  private static long emulatorCpuNanos(ThreadMXBean mx) {
    long sum = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && (t.getThreadName().startsWith("emulator-io") || t.getThreadName().equals("emulator-scheduler"))) {
        long c = mx.getThreadCpuTime(t.getThreadId());
        if (c > 0) {
          sum += c;
        }
      }
    }
    return sum;
  }
}
