package io.llmload.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The definitions against figures worked by hand, and the README pointing at them. */
class DefinitionsTest {

  @Test
  void perRequestFigures() {
    assertEquals(12.5, Definitions.queueDelayMs(1_000_000, 13_500_000));
    assertEquals(250.0, Definitions.sinceMs(1_000_000_000L, 1_250_000_000L));
    assertNull(Definitions.sinceMs(1_000_000_000L, 0), "an instant that never came");
    assertNull(Definitions.e2eMs(0, 5_000_000), "never sent");
    assertEquals(50.0, Definitions.tokensPerS(100, 2000.0)); // 100 tokens in 2 s
    assertNull(Definitions.tokensPerS(0, 2000.0));
    assertEquals(50.0, Definitions.decodeTokensPerS(20.0)); // a 20 ms gap
    assertNull(Definitions.decodeTokensPerS(null));
  }

  @Test
  void goodputAndEnergy() {
    assertTrue(Definitions.meetsSlo(900, 30, 1000.0, 40.0));
    assertFalse(Definitions.meetsSlo(1001, 30, 1000.0, 40.0));
    assertFalse(Definitions.meetsSlo(Double.NaN, 30, 1000.0, null), "no TTFT cannot meet a TTFT bound");
    assertTrue(Definitions.meetsSlo(900, Double.NaN, 1000.0, 40.0), "no TPOT cannot break a TPOT bound");
    assertEquals(4.0, Definitions.perSecond(40, 10.0));
    assertTrue(Double.isNaN(Definitions.perSecond(40, 0)));
    assertEquals(0.5, Definitions.joulesPerToken(500, 1000));
    assertEquals(7200.0, Definitions.tokensPerWh(500, 1000)); // 1000 tokens per 500/3600 Wh
    assertTrue(Double.isNaN(Definitions.joulesPerToken(Double.NaN, 1000)));
  }

  @Test
  void theReadmeNamesThePlace() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("src/main/java/io/llmload/record/Definitions.java"));
    assertTrue(Files.isRegularFile(Path.of("src/main/java/io/llmload/record/Definitions.java")));
  }
}
