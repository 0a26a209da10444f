package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and the in-simulation hook, on SYNTHETIC run folders. */
class GateMainTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBuf, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBuf, true, StandardCharsets.UTF_8);

  private Path runFolder(String name, double tpot, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    ObjectNode s = SyntheticSummary.create().phase("c8", 8, 400, 300, tpot, 0, seed).build();
    Files.writeString(dir.resolve("summary.json"), s.toString());
    return dir;
  }

  private int main(String... args) {
    return GateMain.run(args, out, err);
  }

  private String err() {
    return errBuf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exitCodesOfTheCommand() throws Exception {
    Path base = runFolder("base", 20, 1);
    Path same = runFolder("same", 20, 1);
    Path slow = runFolder("slow", 22, 2);
    assertEquals(0, main("--baseline", base.toString(), "--current", same.toString()));
    assertTrue(Files.exists(same.resolve("verdict.md")));
    assertEquals(1, main("--baseline", base.resolve("summary.json").toString(), "--current", slow.toString()));
    assertTrue(outBuf.toString(StandardCharsets.UTF_8).contains("gate: REGRESSED c8 tpot_p50"));
    // a 25 % tolerance on everything the slowdown moved lets it pass
    assertEquals(0, main("--baseline", base.toString(), "--current", slow.toString(),
        "--tolerance", "tpot_p50=25%", "--tolerance", "tpot_p95=25%", "--tolerance", "e2e_p95=25%",
        "--tolerance", "output_tokens_per_s=25%", "--out", tmp.resolve("out").toString()));
    assertTrue(Files.exists(tmp.resolve("out/junit-gate.xml")));
  }

  @Test
  void inconclusiveExitsThreeUnlessAllowed() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(a.resolve("summary.json"),
        SyntheticSummary.create().phase("c8", 8, 10, 300, 20, 0, 1).build().toString());
    Files.writeString(b.resolve("summary.json"),
        SyntheticSummary.create().phase("c8", 8, 10, 300, 20, 0, 2).build().toString());
    assertEquals(3, main("--baseline", a.toString(), "--current", b.toString()));
    assertEquals(0, main("--baseline", a.toString(), "--current", b.toString(), "--allow-inconclusive"));
  }

  @Test
  void badInputExitsTwoWithOneLine() throws Exception {
    Path base = runFolder("base", 20, 1);
    Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
    Files.writeString(corrupt.resolve("summary.json"), "{\"schema\": 1, \"run\": {\"simulation\": \"x\"");
    assertEquals(2, main("--baseline", base.toString(), "--current", corrupt.toString()));
    assertTrue(err().startsWith("gate: error: current: "), err());
    assertTrue(err().contains("is not valid JSON at line 1"), err());
    assertEquals(1, err().lines().count());

    errBuf.reset();
    assertEquals(2, main("--baseline", tmp.resolve("nowhere").toString(), "--current", base.toString()));
    assertTrue(err().contains("does not exist"), err());

    errBuf.reset();
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(2, main("--baseline", empty.toString(), "--current", base.toString()));
    assertTrue(err().contains("no summary.json in run folder"), err());

    errBuf.reset();
    assertEquals(2, main("--baseline", base.toString()));
    assertTrue(err().contains("--current are required"), err());

    errBuf.reset();
    assertEquals(2, main("--baseline", base.toString(), "--current", base.toString(), "--tolerance", "tpot=5%"));
    assertTrue(err().contains("unknown metric 'tpot'; allowed: ttft_p50"), err());
  }

  @Test
  void hookGatesAndWritesItsFiles() throws Exception {
    Path base = runFolder("base", 20, 1);
    Path slow = runFolder("slow", 22, 2);
    Properties p = new Properties();
    p.setProperty("baseline", base.toString());
    assertEquals(1, GateHook.run(slow, p, out));
    for (String f : new String[] {"verdict.json", "verdict.md", "junit-gate.xml"}) {
      assertTrue(Files.exists(slow.resolve(f)), f);
    }

    // a corrupt baseline: error files in the run folder, exit 2, never an exception
    Path corrupt = tmp.resolve("corrupt.json");
    Files.writeString(corrupt, "not json");
    Properties bad = new Properties();
    bad.setProperty("baseline", corrupt.toString());
    assertEquals(2, GateHook.run(slow, bad, out));
    assertTrue(Files.readString(slow.resolve("verdict.json")).contains("\"verdict\" : \"error\""));
    assertTrue(Files.readString(slow.resolve("junit-gate.xml")).contains("<error type=\"bad-input\""));

    // nothing asked: nothing done
    assertEquals(0, GateHook.run(slow, new Properties(), out));
  }

  @Test
  void requestsJsonlOfARunFolderReplacesTheSummarySample() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("withlog"));
    // the summary's sample holds 40 requests; the SYNTHETIC log 400 measured ones, plus warm-up,
    // failed, other-phase and torn lines that must not count
    Files.writeString(dir.resolve("summary.json"),
        SyntheticSummary.create().phase("c8", 8, 40, 300, 20, 0, 1).build().toString());
    StringBuilder log = new StringBuilder();
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < 400; i++) {
      double tpot = 20 * (0.9 + 0.2 * r.nextDouble());
      log.append("{\"schema\":1,\"phase\":\"c8\",\"warmup\":false,\"status\":\"ok\",\"ttft_ms\":300,")
          .append("\"tpot_ms\":").append(tpot).append(",\"e2e_ms\":").append(300 + 127 * tpot)
          .append(",\"output_tokens\":128}\n");
    }
    log.append("{\"schema\":1,\"phase\":\"c8\",\"warmup\":true,\"status\":\"ok\",\"tpot_ms\":1}\n");
    log.append("{\"schema\":1,\"phase\":\"c8\",\"warmup\":false,\"status\":\"timeout\"}\n");
    log.append("{\"schema\":1,\"phase\":\"other\",\"warmup\":false,\"status\":\"ok\",\"tpot_ms\":1}\n");
    log.append("{\"schema\":1,\"phase\":\"c8\",\"warm");
    Files.writeString(dir.resolve("requests.jsonl"), log.toString());
    com.fasterxml.jackson.databind.JsonNode s = SummaryFiles.readRun(dir, "current");
    com.fasterxml.jackson.databind.JsonNode samples = s.get("phases").get(0).get("samples");
    assertEquals("requests.jsonl", samples.get("source").asText());
    assertEquals(400, samples.get("tpot_ms").size());
    assertEquals(40, SummaryFiles.read(dir, "current").get("phases").get(0).get("samples").get("tpot_ms").size());
    GateResult g = Gate.compare(s, s, GateOptions.defaults());
    MetricResult tpot = g.results().stream().filter(m -> m.metric() == ComparedMetric.TPOT_P50).findFirst().orElseThrow();
    assertEquals(400, tpot.nBaseline());
  }

  @Test
  void optionsFromPropertiesAndConfigFile() throws Exception {
    Path cfg = tmp.resolve("gate.json");
    Files.writeString(cfg, "{\"tolerance\": {\"tpot_p50\": \"7%\", \"error_rate\": 0.02}, \"minSamples\": 50}");
    Properties p = new Properties();
    p.setProperty("gate.config", cfg.toString());
    p.setProperty("gate.tolerance.tpot_p50", "12.5%");
    GateOptions o = GateOptions.fromProperties(p);
    assertEquals(0.125, o.tolerance(ComparedMetric.TPOT_P50), 1e-12); // -D wins over the file
    assertEquals(0.02, o.tolerance(ComparedMetric.ERROR_RATE), 1e-12);
    assertEquals(50, o.minSamples());
    Path props = tmp.resolve("gate.properties");
    Files.writeString(props, "gate.tolerance.ttft_p95=20%\ngate.allowInconclusive=true\n");
    Properties q = new Properties();
    q.setProperty("gate.config", props.toString());
    GateOptions o2 = GateOptions.fromProperties(q);
    assertEquals(0.20, o2.tolerance(ComparedMetric.TTFT_P95), 1e-12);
    assertTrue(o2.allowInconclusive());
    Properties wrong = new Properties();
    wrong.setProperty("gate.tolerance.tpot_p50", "lots");
    GateInputException e = org.junit.jupiter.api.Assertions.assertThrows(GateInputException.class,
        () -> GateOptions.fromProperties(wrong));
    assertEquals("gate.tolerance.tpot_p50=lots: expected a number", e.getMessage());
  }
}
