package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TTFT is measured to the first content token: the emulator answers a role-only chunk at once
 * and the first content after a 300 ms prefill.
 */
class TtftMeasurementTest {

  @Test
  void ttftIgnoresTheImmediateRoleChunk(@TempDir Path dir) throws Exception {
    var r =
        SimulationRunner.run(
            "io.llmload.simulations.ConstantUsers",
            Map.of(
                "users", "3",
                "duration", "3s",
                "maxTokens", "4",
                "emulator.mode", "fixed-rate",
                "emulator.tokensPerSecond", "50",
                "emulator.prefillMs", "300",
                "emulator.firstChunkRole", "true"),
            dir,
            Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    var lines = Files.readAllLines(r.runFolder().resolve("requests.jsonl"));
    assertTrue(lines.size() >= 6, "enough requests: " + lines.size());
    double[] ttft = new double[lines.size()];
    double[] ttfb = new double[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = new ObjectMapper().readTree(lines.get(i));
      assertEquals("ok", n.get("status").asText());
      ttft[i] = n.get("ttft_ms").asDouble();
      ttfb[i] = n.get("ttfb_ms").asDouble();
    }
    Arrays.sort(ttft);
    Arrays.sort(ttfb);
    double p50 = ttft[ttft.length / 2];
    assertEquals(300.0, p50, 5.0, "TTFT p50 " + p50 + " ms");
    assertTrue(ttfb[ttfb.length / 2] < 100, "the role chunk came at once (TTFB p50 " + ttfb[ttfb.length / 2] + " ms)");
  }
}
