package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.llmload.config.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Property validation: one line naming the property and what is allowed, before any load. */
class WorkloadsTest {

  @Test
  void unknownValuesAreOneLine() {
    assertEquals("workload: 'poisson' is not one of fixed, file, sharegpt, synthetic, trace, multiturn", error("workload", "poisson"));
    assertEquals("tokenize: 'maybe' is not one of auto, server, estimate", error("tokenize", "maybe"));
    assertEquals("seed: 'x1' is not a whole number", error("seed", "x1"));
    assertEquals("output.force: 'yes' is not one of auto, true, false", error("output.force", "yes"));
    assertEquals("input: 'gauss:1' is not one of fixed:N, uniform:A,B, normal:MEAN,SD, lognormal:MU,SIGMA",
        error("workload", "synthetic", "input", "gauss:1"));
    assertEquals("turns: 0 is out of range; allowed: 1 to 100", error("workload", "multiturn", "turns", "0"));
    assertEquals("sharedPrefix: -3 is out of range; allowed: 0 to 1000000", error("workload", "synthetic", "sharedPrefix", "-3"));
    assertEquals("input.max: 'big' is not a whole number; allowed: a whole number >= 1", error("workload", "synthetic", "input.max", "big"));
  }

  @Test
  void propertiesOfAnotherWorkloadAreRejected() {
    assertEquals("input: does not apply to workload=fixed (it is for workload=synthetic or multiturn)", error("input", "fixed:5"));
    assertEquals("prompts: does not apply to workload=synthetic (it is for workload=file)", error("workload", "synthetic", "prompts", "x.jsonl"));
    assertEquals("turns: does not apply to workload=trace (it is for workload=multiturn)", error("workload", "trace", "turns", "2"));
  }

  @Test
  void errorsReachTheParamsHandlerAndValuesAreRecorded() {
    List<String> reported = new ArrayList<>();
    Properties p = new Properties();
    p.setProperty("workload", "synthetic");
    p.setProperty("output", "uniform:9,3");
    Params params = new Params(p, reported::add);
    assertThrows(IllegalArgumentException.class, () -> Workloads.fromParams(params, emulator(io.llmload.wire.Protocol.OPENAI_CHAT)));
    assertEquals(List.of("output: 'uniform:9,3' has B < A; allowed: uniform:A,B with 1 <= A <= B"), reported);

    reported.clear();
    Properties bad = new Properties();
    bad.setProperty("workload", "multiturn");
    bad.setProperty("turns", "500");
    assertThrows(IllegalArgumentException.class,
        () -> Workloads.fromParams(new Params(bad, reported::add), emulator(io.llmload.wire.Protocol.OPENAI_CHAT)));
    assertEquals(List.of("turns: 500 is out of range; allowed: 1 to 100"), reported, "reported once");

    Properties ok = new Properties();
    ok.setProperty("workload", "synthetic");
    ok.setProperty("input", "normal:100,10");
    Params good = new Params(ok);
    Workloads.fromParams(good, emulator(io.llmload.wire.Protocol.OPENAI_CHAT));
    assertEquals("synthetic", good.used().get("workload"));
    assertEquals("normal:100,10", good.used().get("input"));
    assertEquals(1L, good.used().get("seed"));
    assertEquals("auto", good.used().get("tokenize"));
  }
}
