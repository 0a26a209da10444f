package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each way two SYNTHETIC runs can measure different things is refused in one line naming the
 * difference, and compared with a warning naming it when forced.
 */
class ComparabilityTest {
  private static final GateOptions OPTS = GateOptions.defaults();

  /** A run of the open model at 12 requests/s on a real endpoint with one GPU, as a simulation writes it. */
  private static ObjectNode run(long seed) {
    ObjectNode s = SyntheticSummary.create().phase("c8", 8, 200, 300, 20, 0, seed).build();
    ObjectNode run = (ObjectNode) s.get("run");
    run.putNull("emulator");
    run.put("target", "http://gpu-host:8000");
    ObjectNode params = run.putObject("parameters");
    params.put("rate", 12.0);
    params.put("arrival", "poisson");
    params.put("workload", "synthetic");
    params.put("input", "uniform:100:200");
    params.put("output", "fixed:128");
    params.put("duration", "60s");
    s.put("definitions", 2);
    ObjectNode gpu = ((ObjectNode) s.get("phases").get(0)).putObject("gpu");
    gpu.put("gpus", 1);
    gpu.put("energy_source", "counter");
    gpu.put("j_per_token", 0.5);
    return s;
  }

  private static ObjectNode with(Consumer<ObjectNode> edit) {
    ObjectNode s = run(2);
    edit.accept(s);
    return s;
  }

  private static ObjectNode params(ObjectNode s) {
    return (ObjectNode) s.get("run").get("parameters");
  }

  private static ObjectNode gpu(ObjectNode s) {
    return (ObjectNode) s.get("phases").get(0).get("gpu");
  }

  /** Refused in one line naming {@code expected}; forced, compared with a warning naming it. */
  private static void refused(ObjectNode cur, String expected) {
    ObjectNode base = run(1);
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(base, cur, OPTS));
    assertTrue(e.getMessage().startsWith("baseline is not comparable with the current run: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().endsWith("(pass -Dgate.force=true to compare anyway)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    GateResult forced = Gate.compare(base, cur, OPTS.force(true));
    assertTrue(forced.warnings().stream().anyMatch(w -> w.contains(expected) && w.contains("forced")),
        forced.warnings().toString());
    assertTrue(GateReport.markdown(forced).contains(expected), "verdict.md names the difference");
  }

  @Test
  void sameSetupIsCompared() {
    GateResult r = Gate.compare(run(1), with(s -> params(s).put("duration", "120s")), OPTS);
    assertTrue(r.warnings().stream().noneMatch(w -> w.contains("not comparable")), r.warnings().toString());
  }

  @Test
  void definitionsVersion() {
    refused(with(s -> s.remove("definitions")), "definitions version 2 vs 1");
  }

  @Test
  void target() {
    refused(with(s -> ((ObjectNode) s.get("run")).put("target", "http://other-host:8000")),
        "target 'http://gpu-host:8000' vs 'http://other-host:8000'");
    // a trailing slash or capitals do not make another server
    Gate.compare(run(1), with(s -> ((ObjectNode) s.get("run")).put("target", "http://GPU-host:8000/")), OPTS);
  }

  @Test
  void embeddedEmulatorPortIsNotATargetDifference() {
    ObjectNode a = SyntheticSummary.create().phase("c8", 8, 200, 300, 20, 0, 1).build();
    ObjectNode b = SyntheticSummary.create().phase("c8", 8, 200, 300, 20, 0, 2).build();
    ((ObjectNode) b.get("run")).put("target", "http://127.0.0.1:40123");
    assertEquals(0, Gate.compare(a, b, OPTS).warnings().stream().filter(w -> w.contains("target")).count());
  }

  @Test
  void users() {
    ObjectNode base = with(s -> params(s).put("users", 8));
    ObjectNode cur = with(s -> params(s).put("users", 16));
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(base, cur, OPTS));
    assertTrue(e.getMessage().contains("users '8' vs '16'"), e.getMessage());
  }

  @Test
  void rate() {
    refused(with(s -> params(s).put("rate", 24.0)), "rate '12.0' vs '24.0'");
  }

  @Test
  void arrivalProcess() {
    refused(with(s -> params(s).put("arrival", "constant")), "arrival 'poisson' vs 'constant'");
  }

  @Test
  void workload() {
    refused(with(s -> params(s).put("workload", "fixed")), "workload 'synthetic' vs 'fixed'");
  }

  @Test
  void inputLengths() {
    refused(with(s -> params(s).put("input", "uniform:100:400")), "input 'uniform:100:200' vs 'uniform:100:400'");
  }

  @Test
  void outputLengths() {
    refused(with(s -> params(s).put("output", "fixed:256")), "output 'fixed:128' vs 'fixed:256'");
  }

  @Test
  void energySource() {
    refused(with(s -> gpu(s).put("energy_source", "integrated_power")),
        "phase c8 energy source 'counter' vs 'integrated_power'");
  }

  @Test
  void gpuCount() {
    refused(with(s -> gpu(s).put("gpus", 2)), "phase c8 GPU count 1 vs 2");
  }

  @Test
  void everyDifferenceIsNamedInTheOneLine() {
    ObjectNode cur = with(s -> {
      params(s).put("rate", 6.0);
      gpu(s).put("gpus", 8);
      s.put("definitions", 3);
    });
    GateInputException e = assertThrows(GateInputException.class, () -> Gate.compare(run(1), cur, OPTS));
    assertTrue(e.getMessage().contains("definitions version 2 vs 3; rate '12.0' vs '6.0'; phase c8 GPU count 1 vs 8"),
        e.getMessage());
  }

  @Test
  void aBadDefinitionsFieldIsACorruptFile() {
    GateInputException e = assertThrows(GateInputException.class,
        () -> Gate.compare(run(1), with(s -> s.put("definitions", "two")), OPTS));
    assertTrue(e.getMessage().contains("\"definitions\" is not a positive integer"), e.getMessage());
  }
}
