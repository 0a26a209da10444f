package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.architecture.DefinedNames;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.RunJson;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.record.RequestRecord;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summary.json handed from the aggregator to the gate: a run folder of known records and a steady
 * 300 W GPU is aggregated, the summary is read back through {@link Summary}, and every figure the
 * gate compares arrives with the value worked out here by hand. A field the writer spelled one way
 * and the reader another would arrive as null.
 */
class SummaryHandOverTest {
  static final long T0_US = 1_800_000_000_000_000L;
  static final long WINDOW_US = 10_000_000L;
  static final int OK = 100;
  static final int FAILED = 4;
  static final long TOKENS = 50;

  @TempDir Path tmp;

  @Test
  void everyFigureTheGateComparesArrivesFromTheAggregator() throws IOException {
    Path run = knownRun(tmp.resolve("run"));
    JsonNode written = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false));
    List<String> warnings = new ArrayList<>();
    Summary s = Summary.parse(SummaryFiles.read(run, "current"), "current", warnings);

    assertEquals("io.llmload.simulations.Known", s.simulation);
    assertEquals("openai-chat", s.protocol);
    assertEquals("known-model", s.model);
    assertEquals("64", s.maxTokens);
    assertEquals("http://127.0.0.1:1", s.target);
    assertEquals("4", s.parameters.get("users"));
    assertEquals(RequestRecord.DEFINITIONS, s.definitions);
    assertTrue(s.complete);
    assertEquals(List.of(), warnings);

    Summary.Phase p = s.phase("steady");
    assertNotNull(p, "phase steady");
    assertEquals(OK + FAILED, p.requests);
    assertEquals(FAILED, p.failed);
    assertEquals(4.0, p.level);
    assertEquals(1, p.gpus);
    assertEquals("counter", p.energySource);

    // Worked out from the records, not read from the aggregator: TTFT 10, 11, ..., 109 ms
    // (nearest rank), TPOT 5 ms, E2E = TTFT + 49 × 5 ms, all tokens inside the 10 s window, and
    // 300 W for 10 s over those tokens.
    Map<ComparedMetric, Double> expected = new EnumMap<>(ComparedMetric.class);
    expected.put(ComparedMetric.TTFT_P50, 59.0);
    expected.put(ComparedMetric.TTFT_P95, 104.0);
    expected.put(ComparedMetric.TPOT_P50, 5.0);
    expected.put(ComparedMetric.TPOT_P95, 5.0);
    expected.put(ComparedMetric.E2E_P95, 104.0 + 245);
    expected.put(ComparedMetric.THROUGHPUT, OK * TOKENS / 10.0);
    expected.put(ComparedMetric.ERROR_RATE, (double) FAILED / (OK + FAILED));
    expected.put(ComparedMetric.J_PER_TOKEN, 300.0 * 10 / (OK * TOKENS));
    for (ComparedMetric m : ComparedMetric.values()) {
      if (m == ComparedMetric.INPUTS_PER_S) continue; // embeddings and rerank only: EmbeddingsSummaryTest
      if (m == ComparedMetric.CAPACITY) continue; // a capacity search's, of the whole run: CapacityComparisonTest
      Double v = p.value(m);
      assertNotNull(v, m.key() + " did not arrive (summary field " + m.field() + ")");
      assertEquals(expected.get(m), v, expected.get(m) * 0.005, m.key());
      if (m.sampleKey() != null) {
        double[] samples = p.samples(m.sampleKey());
        assertNotNull(samples, "samples of " + m.key());
        assertEquals(OK, samples.length, "samples of " + m.key());
      }
    }

    // And nothing is written under a name the definition does not hold.
    assertEquals(List.of(), undefined(written, SummaryJson.class), "top level");
    assertEquals(List.of(), undefined(written.get(SummaryJson.RUN), SummaryJson.Run.class), "run");
    assertEquals(List.of(), undefined(written.get(SummaryJson.PHASES).get(0), SummaryJson.Phase.class), "phase");
    assertEquals(List.of(), undefined(written.get(SummaryJson.PHASES).get(0).get(SummaryJson.Phase.TTFT_MS),
        SummaryJson.Stats.class), "latency figure");
    assertEquals(List.of(), undefined(written.get(SummaryJson.PHASES).get(0).get(SummaryJson.Phase.TOKENS_PER_S),
        SummaryJson.Stats.class), "speed figure");
    TreeSet<String> sampleNames = names(written.get(SummaryJson.PHASES).get(0).get(SummaryJson.Phase.SAMPLES));
    sampleNames.remove(SummaryJson.Samples.SEED);
    TreeSet<String> keys = new TreeSet<>(SummaryJson.Samples.KEYS);
    keys.remove(SummaryJson.Samples.INPUTS); // embeddings and rerank only
    assertEquals(keys, sampleNames, "sample arrays");
  }

  /** The field names of {@code node} that are not a constant of {@code definition}. */
  static List<String> undefined(JsonNode node, Class<?> definition) {
    TreeSet<String> defined = DefinedNames.of(definition);
    List<String> out = new ArrayList<>();
    for (String n : names(node)) if (!defined.contains(n)) out.add(n);
    return out;
  }

  static TreeSet<String> names(JsonNode node) {
    TreeSet<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
    return out;
  }

  /** One phase of 4 users, 100 ok and 4 failed requests, and a GPU drawing 300 W throughout. */
  static Path knownRun(Path dir) throws IOException {
    Files.createDirectories(FileNames.hardware(dir));
    RunJson run = new RunJson()
        .put("simulation", "io.llmload.simulations.Known")
        .put("run_folder", dir.getFileName().toString())
        .put("target", "http://127.0.0.1:1")
        .put("protocol", "openai-chat")
        .put("model", "known-model")
        .put("parameters", Map.of("users", "4", "max_tokens", "64"))
        .put("start_epoch_us", T0_US)
        .put("end_epoch_us", T0_US + WINDOW_US)
        .put("phases", List.of(RunJson.phase("steady", 4.0, T0_US, T0_US + WINDOW_US, T0_US)))
        .put("complete", true);
    Files.write(FileNames.run(dir), run.toBytes());
    ObjectMapper json = new ObjectMapper();
    try (Writer out = Files.newBufferedWriter(FileNames.requests(dir))) {
      for (int i = 0; i < OK + FAILED; i++) {
        RequestRecord r = new RequestRecord();
        r.protocol = "openai-chat";
        r.scenario = "known";
        r.request = "chat";
        r.phase = "steady";
        r.level = 4.0;
        r.id = "r" + i;
        r.maxTokens = 64;
        r.scheduledEpochUs = r.startEpochUs = r.sentEpochUs = T0_US + 1_000_000 + i * 50_000L;
        r.queueDelayMs = 0.0;
        if (i < OK) {
          double ttft = 10 + i;
          r.status = "ok";
          r.httpStatus = 200;
          r.ttftMs = r.ttfoMs = ttft;
          r.tpotMs = 5.0;
          r.lastTokenMs = r.e2eMs = ttft + (TOKENS - 1) * 5.0;
          r.outputTokens = TOKENS;
          r.tokensPerS = TOKENS / (r.e2eMs / 1000);
        } else {
          r.status = "http_error";
          r.httpStatus = 503;
          r.e2eMs = 20.0;
        }
        r.endEpochUs = r.sentEpochUs + Math.round(r.e2eMs * 1000);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          r.write(g);
        }
        out.write('\n');
      }
    }
    try (Writer out = Files.newBufferedWriter(FileNames.hardware(dir).resolve(FileNames.GPU_CSV))) {
      out.write("epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,mem_used_mib,mem_total_mib,"
          + "power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w\n");
      for (long ms = T0_US / 1000 - 500, mj = 0; ms <= (T0_US + WINDOW_US) / 1000 + 500; ms += 100, mj += 30_000) {
        out.write(ms + ",known,0,GPU-known-0,Known GPU,50,20,30000,81559,300,300," + mj + ",1400,2619,60,700\n");
      }
    }
    return dir;
  }
}
