package io.llmload.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.record.RequestRecord;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep reads attainment from summary.json's good_fraction, a search from its live probe
 * statistics: over the same records, with an E2E bound, the two must give the same share, and the
 * share counted here from the records' known E2E values.
 */
class AttainmentAndGoodputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_800_000_000_000_000L;

  /** Request i (1..20) took 100 i ms from its scheduled instant; its TTFT and TPOT are well inside. */
  static RequestRecord record(int i) {
    RequestRecord r = new RequestRecord();
    r.protocol = "openai";
    r.scenario = "s";
    r.request = "chat";
    r.phase = "c4";
    r.level = 4.0;
    r.id = "r" + i;
    r.status = "ok";
    r.scheduledEpochUs = T0 + i * 1_000_000L;
    r.startEpochUs = r.scheduledEpochUs;
    r.sentEpochUs = r.scheduledEpochUs;
    r.e2eMs = 100.0 * i;
    r.e2eFromScheduledMs = 100.0 * i;
    r.endEpochUs = r.sentEpochUs + (long) (r.e2eMs * 1000);
    r.ttftMs = 20.0;
    r.ttftFromScheduledMs = 20.0;
    r.lastTokenMs = r.e2eMs;
    r.tpotMs = 5.0;
    r.outputTokens = 8L;
    return r;
  }

  @Test
  void theSearchsAttainmentAndTheReportsGoodFractionAreOneDefinitionE2eIncluded(@TempDir Path dir) throws Exception {
    StringWriter lines = new StringWriter();
    ProbeStats live = new ProbeStats(new SearchSpec.Slo(1000.0, 50.0, 1000.0, 0.95));
    int expectedGood = 0;
    for (int i = 1; i <= 20; i++) {
      RequestRecord r = record(i);
      live.add(r);
      if (100.0 * i <= 1000) expectedGood++; // the E2E bound is the only one these requests can break
      try (JsonGenerator g = JSON.getFactory().createGenerator(lines)) {
        r.write(g);
      }
      lines.write("\n");
    }
    ObjectNode run = JSON.createObjectNode();
    run.put("schema", 1);
    run.put("note", "SYNTHETIC");
    run.put("complete", true);
    run.putArray("phases").addObject().put("name", "c4").put("level", 4).put("start_epoch_us", T0)
        .put("end_epoch_us", T0 + 30_000_000L).put("warmup_end_epoch_us", T0);
    JSON.writeValue(dir.resolve("run.json").toFile(), run);
    Files.writeString(dir.resolve("requests.jsonl"), lines.toString());

    JsonNode summary = Aggregator.aggregate(List.of(dir), dir, ReportOptions.defaults().pngCharts(false)
        .sloTtft(Duration.ofSeconds(1)).sloTpot(Duration.ofMillis(50)).sloE2e(Duration.ofSeconds(1)));
    double goodFraction = summary.get("phases").get(0).get("good_fraction").asDouble();
    assertEquals(10, expectedGood);
    assertEquals(expectedGood / 20.0, goodFraction, 1e-9, "the report's good_fraction counts the E2E bound");
    assertEquals(expectedGood, live.good(), "the search's live count");
    assertEquals(goodFraction, (double) live.good() / live.n(), 1e-9, "one definition");
    assertEquals(1000.0, summary.get("slo").get("e2e_ms").asDouble(), 1e-9);
  }

  @Test
  void sloE2eIsReadFromThePropertiesLikeTheOtherBounds() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("slo.e2e", "1.5s");
    assertEquals(Duration.ofMillis(1500), ReportOptions.fromProperties(p).sloE2e());
  }
}
