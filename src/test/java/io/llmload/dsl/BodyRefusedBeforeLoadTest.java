package io.llmload.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.llmload.testing.SimulationRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static body that would drop a field the suite measures with stops the run before any load. */
class BodyRefusedBeforeLoadTest {

  @Test
  void aBodyDroppingTgiDetailsStopsTheRunWithOneLine(@TempDir Path dir) throws Exception {
    var r = SimulationRunner.run("io.llmload.testsims.ReservedBody", Map.of("protocol", "tgi"), dir, Duration.ofSeconds(60));
    assertNotEquals(0, r.exitCode(), r.output());
    String line = "body: 'parameters.details' must stay true: TGI sends its token count only with details";
    assertEquals(2, r.output().lines().filter(l -> l.endsWith(line)).count(), "Gatling's log line and the exit line:\n" + r.output());
    assertFalse(r.output().contains("\tat "), "no stack trace:\n" + r.output());
    assertFalse(r.output().contains("---- Requests"), "no load was started");
  }
}
