package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json is a contract read by other tools with plain Jackson. */
class SummaryContractTest {
  @TempDir Path tmp;

  private Path run(String name, double shortShare, double queueDelayMs) throws Exception {
    return run(name, shortShare, queueDelayMs, 20);
  }

  private Path run(String name, double shortShare, double queueDelayMs, double phaseSeconds) throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {2, 8};
    s.phaseSeconds = phaseSeconds;
    s.shortShare = shortShare;
    s.queueDelayMs = queueDelayMs;
    s.failShare = 0.05;
    return s.write(tmp.resolve(name));
  }

  @Test
  void summaryRoundTripsThroughPlainJacksonWithHistogramsAndSeededSamples() throws Exception {
    Path r = run("roundtrip", 0, 0.2, 400);
    ReportOptions o = ReportOptions.defaults().sloTtft(Duration.ofMillis(60)).sloTpot(Duration.ofMillis(50)).pngCharts(false);
    JsonNode written = Aggregator.aggregate(List.of(r), r, o);
    // Strict: no NaN or Infinity literals, nothing non-standard.
    ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    strict.getFactory().disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    JsonNode read = strict.readTree(Files.readString(r.resolve("summary.json")));
    assertTrue(strict.readTree(strict.writeValueAsString(written)).equals(read), "what is returned is what is written");
    assertEquals(1, read.path("schema").asInt());
    assertTrue(read.path("generator").asText().startsWith("llm-load-suite "));
    for (JsonNode p : read.path("phases")) {
      for (String k : new String[] {"name", "level", "window_s", "requests", "ok", "failed", "failures", "error_rate",
          "request_rate", "output_tokens", "output_tokens_per_s", "goodput_rps", "good_fraction", "ttft_ms", "ttfo_ms",
          "tpot_ms", "itl_ms", "e2e_ms", "queue_delay_ms", "ttft_from_scheduled_ms", "tokens_per_s",
          "decode_tokens_per_s", "gpu", "process", "server_metrics", "histograms", "samples"}) {
        assertTrue(p.has(k), "phase field " + k);
      }
      assertEquals(p.path("requests").asLong(), p.path("ok").asLong() + p.path("failed").asLong());
      Histogram h = IncompleteAndMergedRunTest.decode(p.path("histograms").path("ttft_ms").asText());
      assertEquals(p.path("ttft_ms").path("n").asLong(), h.getTotalCount());
      assertEquals(p.path("ttft_ms").path("p99").asDouble(), h.getValueAtPercentile(99) / 1000.0,
          p.path("ttft_ms").path("p99").asDouble() * 0.002, "histogram in µs, 3 significant digits");
      int n = p.path("samples").path("ttft_ms").size();
      assertEquals(Math.min(2000, p.path("ok").asInt()), n);
      assertEquals(n, p.path("samples").path("output_tokens").size());
      assertTrue(p.path("process").isNull(), "no process.csv: null, not zeros");
    }
    assertTrue(read.path("phases").get(1).path("ok").asInt() > 2000, "reservoir actually samples");
    for (String k : new String[] {"saturation_level", "best_goodput_level", "scaling_factor", "slo_break_level", "text"}) {
      assertTrue(read.path("findings").has(k), "findings field " + k);
    }
    JsonNode again = Aggregator.aggregate(List.of(r), tmp.resolve("again"), o);
    assertTrue(read.path("phases").get(1).path("samples").equals(
        strict.readTree(strict.writeValueAsString(again)).path("phases").get(1).path("samples")),
        "seeded sample is reproducible");
  }

  @Test
  void warningsForShortOutputAndLateLoadGenerator() throws Exception {
    Path r = run("warn", 0.3, 25);
    JsonNode s = Aggregator.aggregate(List.of(r), r, ReportOptions.defaults().pngCharts(false));
    String w = s.path("warnings").toString();
    assertTrue(w.contains("fewer output tokens than requested"), w);
    assertTrue(w.contains("the load generator was late"), w);
    Path clean = run("clean", 0, 0.2);
    JsonNode c = Aggregator.aggregate(List.of(clean), clean, ReportOptions.defaults().pngCharts(false));
    assertFalse(c.path("warnings").toString().contains("fewer output tokens"), c.path("warnings").toString());
    assertFalse(c.path("warnings").toString().contains("late"), c.path("warnings").toString());
  }

  @Test
  void tokenCountDisagreementIsWarned() throws Exception {
    Path r = run("disagree", 0, 0.2);
    String text = Files.readString(r.resolve("requests.jsonl")).replace("\"chunk_tokens\":128", "\"chunk_tokens\":64");
    Files.writeString(r.resolve("requests.jsonl"), text);
    JsonNode s = Aggregator.aggregate(List.of(r), r, ReportOptions.defaults().pngCharts(false));
    assertTrue(s.path("warnings").toString().contains("chunk count differ"), s.path("warnings").toString());
  }
}
