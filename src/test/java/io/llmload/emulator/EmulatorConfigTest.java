package io.llmload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Configuration from system properties and the command line, with one-line errors. */
class EmulatorConfigTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    p.setProperty("unrelated.property", "ignored");
    return p;
  }

  @Test
  void defaultsAreSeeds7bSeedOneNoJitterLoopbackFreePort() {
    EmulatorConfig c = EmulatorConfig.fromProperties(props());
    assertEquals("seeds-7b", c.profile());
    assertEquals(1, c.seed());
    assertEquals(0.0, c.jitter());
    assertEquals("127.0.0.1", c.host());
    assertEquals(0, c.port());
    assertEquals("emulated-llm", c.model());
    assertNull(c.groundTruthFile());
  }

  @Test
  void propertiesOverrideProfileParameters() {
    EmulatorConfig c = EmulatorConfig.fromProperties(props("emulator.profile", "dev-batch8", "emulator.seed", "42",
        "emulator.jitter", "0.05", "emulator.maxBatch", "3", "emulator.stepBaseMs", "1.5", "emulator.fault", "STALL",
        "emulator.firstChunkRole", "false"));
    ModelParams p = c.params();
    assertEquals(42, c.seed());
    assertEquals(0.05, c.jitter());
    assertEquals(3, p.maxBatch());
    assertEquals(1.5, p.stepBaseMs());
    assertEquals(3.752, p.stepPerSeqMs());
    assertEquals(Fault.STALL, p.fault());
    assertFalse(p.firstChunkRole());
  }

  @Test
  void profilesHaveTheirDocumentedShape() {
    ModelParams seeds = EmulatorConfig.defaults().params();
    // 55 tokens/s for one user, 35 % of that per user at 10 users
    assertEquals(1000.0 / 55, seeds.stepNanos(1) / 1e6, 0.05);
    assertEquals(1000.0 / (55 * 0.35), seeds.stepNanos(10) / 1e6, 0.1);
    assertEquals(8, EmulatorConfig.defaults().profile("dev-batch8").params().maxBatch());
    ModelParams prod = EmulatorConfig.defaults().profile("prod-batch64").params();
    assertEquals(64, prod.maxBatch());
    assertEquals(5.0, prod.batchWindowMs());
    ModelParams fixed = EmulatorConfig.defaults().profile("fixed-rate").params();
    assertTrue(fixed.fixedRate());
    assertEquals(Integer.MAX_VALUE, fixed.maxBatch());
    assertEquals(30.0, fixed.tokensPerSecond());
    assertEquals(0, fixed.prefillNanos(1000));
    ModelParams h100 = EmulatorConfig.defaults().profile("h100-llamacpp-8b").params();
    assertEquals(5.65, h100.stepNanos(1) / 1e6, 1e-9);
    assertEquals(64, h100.maxBatch());
    assertEquals(327, h100.cacheEntries());
    assertEquals(Integer.MAX_VALUE, h100.maxAdmitPerStep());
  }

  @Test
  void aPromptCacheNeedsAFiniteNumberOfSlots() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(
        props("emulator.profile", "fixed-rate", "emulator.cacheEntries", "10")));
    assertEquals("emulator.cacheEntries: a prompt cache needs emulator.maxBatch (the server's slots) between 1 and 1024,"
        + " got unlimited", e.getMessage());
    assertEquals(10, EmulatorConfig.fromProperties(props("emulator.cacheEntries", "10")).params().cacheEntries());
    e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorMain.parse(new String[] {"--profile", "fixed-rate", "--cacheEntries", "10"}));
    assertEquals("--cacheEntries: a prompt cache needs --maxBatch (the server's slots) between 1 and 1024, got unlimited",
        e.getMessage());
  }

  @Test
  void badValuesGiveOneLineErrorsNamingThePropertyAndAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorConfig.fromProperties(props("emulator.maxBatch", "zero")));
    assertTrue(e.getMessage().startsWith("emulator.maxBatch: 'zero' is not allowed, expected >= 1"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(props("emulator.profile", "a100")));
    assertTrue(e.getMessage().startsWith("emulator.profile: 'a100' is not a profile, expected one of seeds-7b"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(props("emulator.jitter", "2")));
    assertTrue(e.getMessage().startsWith("emulator.jitter:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(props("emulator.fault", "boom")));
    assertTrue(e.getMessage().contains("reset-before-headers|"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(props("emulator.queueFullStatus", "500")));
    assertTrue(e.getMessage().contains("429 or 503"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.fromProperties(props("emulator.bogus", "1")));
    assertTrue(e.getMessage().startsWith("emulator.bogus: unknown"), e.getMessage());
  }

  @Test
  void commandLineUsesTheSameNames() {
    EmulatorConfig c = EmulatorMain.parse(new String[] {"--port", "8123", "--profile", "fixed-rate", "--tokensPerSecond=50",
        "--seed", "3", "--ground-truth", "/tmp/gt.jsonl"});
    assertEquals(8123, c.port());
    assertEquals(50.0, c.params().tokensPerSecond());
    assertEquals("/tmp/gt.jsonl", c.groundTruthFile().toString());
    assertNull(EmulatorMain.parse(new String[] {"--help"}));
    assertTrue(EmulatorMain.help().contains("--maxBatch"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--port", "http"}));
    assertTrue(e.getMessage().startsWith("--port: 'http'"), e.getMessage());
  }
}
