package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CapacitySearch end to end against the emulator, whose answer is known from its timing model
 * (docs/emulator.md): a batched decode step of b sequences lasts stepBaseMs + stepPerSeqMs × b, so
 * with the step set to 10 ms per sequence and prefill to 0 (no admission stalls a step) every
 * request's TPOT at c users in flight is 10 c ms, and under a 65 ms TPOT bound the capacity is
 * floor(65 / 10) = 6 users (6: 60 ms, 7: 70 ms, 8 % either side of the bound, wide enough for a
 * busy machine's timing noise). One forked run of about 15 s of load.
 */
class CapacitySearchRunTest {

  @Test
  void findsTheEmulatorsCapacityInOneRunWithAPhasePerProbe(@TempDir Path dir) throws Exception {
    double base = 0, perSeq = 10, bound = 65;
    long expected = (long) Math.floor((bound - base) / perSeq);
    String[] kv = {"emulator.profile", "seeds-7b", "emulator.prefillBaseMs", "0", "emulator.prefillPerTokenMs", "0",
        "emulator.stepBaseMs", "0", "emulator.stepPerSeqMs", "10", "emulator.stepExponent", "1", "maxTokens", "16",
        "slo.tpot", bound + "ms", "slo.fraction", "0.9", "max", "16", "warmup", "1s", "probe.window", "3s",
        "probe.minWindow", "1s", "probe.maxWindow", "6s", "probe.minSamples", "10", "maxDuration", "60s",
        "console.period", "0", "collector", "off"};
    Map<String, String> p = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    // as scripts/nightly.sh --update-baseline passes it: the first search becomes the store's baseline
    Path store = dir.resolve("store");
    p.put("updateBaseline", store.toString());
    var r = SimulationRunner.run("io.llmload.simulations.CapacitySearch", p, dir, Duration.ofSeconds(150));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    Path folder = r.runFolder();
    ObjectMapper json = new ObjectMapper();
    JsonNode cap = json.readTree(folder.resolve("summary.json").toFile()).path("capacity");
    double answer = cap.path("answer").asDouble();
    // a busy machine can only slow the emulator's steps, never speed them: the answer is the
    // model's, or one user below it (the search's precision under 10 users), never above
    assertTrue(answer == expected || answer == expected - 1, cap.toString());
    assertEquals(answer + 1, cap.path("bracket").path("fail").path("load").asDouble(), 0, cap.toString());
    assertEquals("converged", cap.path("outcome").asText());
    assertTrue(r.output().contains("capacity (concurrency): " + (long) answer + " users, converged"),
        SimulationRunner.tail(r.output()));
    assertTrue(cap.path("at_answer").path("goodput_rps").asDouble() > 0, "the aggregator's goodput at the answer");
    JsonNode phases = json.readTree(folder.resolve("run.json").toFile()).path("phases");
    assertEquals(cap.path("probes").size(), phases.size(), "one phase per probe");
    for (JsonNode ph : phases) {
      long warm = ph.path("warmup_end_epoch_us").asLong() - ph.path("start_epoch_us").asLong();
      assertTrue(warm >= 1_000_000 && ph.path("end_epoch_us").asLong() > ph.path("warmup_end_epoch_us").asLong(),
          "each probe has its own warm-up, then a window: " + ph);
    }
    JsonNode stored = json.readTree(store.resolve("summary.json").toFile()).path("capacity");
    assertEquals(cap.path("answer"), stored.path("answer"), "the nightly store holds the search");
    assertTrue(Files.isDirectory(store.resolve("history")), "and starts its history");
    assertTrue(Files.readString(folder.resolve("report.md")).contains("## Capacity"));
    assertTrue(Files.readString(folder.resolve("report.html")).contains("id=\"table-capacity\""));
  }
}
