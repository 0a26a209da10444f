package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportOptionsAndCliTest {
  @TempDir Path tmp;

  @Test
  void durationsParse() {
    assertEquals(Duration.ofMillis(500), ReportOptions.parseDuration("x", "500ms"));
    assertEquals(Duration.ofSeconds(2), ReportOptions.parseDuration("x", "2s"));
    assertEquals(Duration.ofMillis(1500), ReportOptions.parseDuration("x", "1.5s"));
    assertEquals(Duration.ofMinutes(1), ReportOptions.parseDuration("x", "1m"));
    assertEquals(Duration.ofNanos(250_000), ReportOptions.parseDuration("x", "250us"));
  }

  @Test
  void propertiesAreReadAndBadValuesNameTheProperty() {
    Properties p = new Properties();
    p.setProperty("slo.ttft", "2s");
    p.setProperty("slo.tpot", "50ms");
    p.setProperty("energy.price", "0.30");
    p.setProperty("energy.currency", "usd");
    ReportOptions o = ReportOptions.fromProperties(p);
    assertEquals(Duration.ofSeconds(2), o.sloTtft());
    assertEquals(Duration.ofMillis(50), o.sloTpot());
    assertEquals(0.30, o.energyPricePerKwh());
    assertEquals("USD", o.currency());
    assertNull(ReportOptions.fromProperties(new Properties()).sloTtft());

    String[][] bad = {{"slo.ttft", "2"}, {"slo.tpot", "fast"}, {"slo.ttft", "-1s"}, {"energy.price", "cheap"},
        {"energy.price", "-1"}, {"energy.currency", "euro"}, {"slo.fraction", "1.5"}};
    for (String[] b : bad) {
      Properties q = new Properties();
      q.setProperty(b[0], b[1]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportOptions.fromProperties(q));
      assertTrue(e.getMessage().startsWith(b[0] + "="), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line");
    }
  }

  private int cli(ByteArrayOutputStream err, String... args) {
    return AggregateMain.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
  }

  @Test
  void cliRejectsBadInputWithOneLineAndExitTwo() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, cli(err, tmp.resolve("missing").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such directory"), err.toString());
    err.reset();
    Files.createDirectories(tmp.resolve("empty"));
    assertEquals(2, cli(err, tmp.resolve("empty").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a run folder"), err.toString());
    err.reset();
    Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(tmp.resolve("broken/run.json"), "{\"schema\":1,");
    assertEquals(2, cli(err, tmp.resolve("broken").toString()));
    String msg = err.toString(StandardCharsets.UTF_8);
    assertTrue(msg.contains("run.json is unreadable"), msg);
    assertEquals(1, msg.strip().lines().count(), "one line: " + msg);
    err.reset();
    assertEquals(2, cli(err));
    assertEquals(2, cli(err, "--bogus"));
  }

  @Test
  void cliAggregatesAndMergesIntoOut() throws Exception {
    SyntheticRun s = new SyntheticRun();
    s.levels = new int[] {1, 2};
    s.phaseSeconds = 3;
    s.gpu = false;
    Path a = s.write(tmp.resolve("a"));
    s.generator = "gen-b";
    s.seed = 8;
    Path b = s.write(tmp.resolve("b"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, cli(err, a.toString()), err.toString());
    assertTrue(Files.exists(a.resolve("summary.json")));
    assertEquals(0, cli(err, a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), err.toString());
    assertTrue(Files.exists(tmp.resolve("m/report.html")));
    assertTrue(Files.exists(tmp.resolve("m/charts/throughput-vs-level.png")));
  }
}
