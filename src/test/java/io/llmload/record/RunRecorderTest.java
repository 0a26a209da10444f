package io.llmload.record;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {

  private static RequestRecord record(int i) {
    RequestRecord r = new RequestRecord();
    r.protocol = "openai-chat";
    r.scenario = "chat";
    r.request = "chat";
    r.id = "r" + i;
    r.status = "ok";
    r.scheduledEpochUs = 1;
    r.endEpochUs = 2;
    r.ttftMs = 12.3456789;
    r.outputTokens = 10L;
    r.outputTokensSource = "usage";
    r.itlNanos = new long[] {1_000_000, 3_000_000, 2_000_000, 0};
    r.itlCount = 3;
    return r;
  }

  @Test
  void recordsWrittenBeforeTheRunFolderExistsMoveIntoIt(@TempDir Path dir) throws Exception {
    RunRecorder rec = new RunRecorder(dir, "io.llmload.simulations.ConstantUsers");
    rec.append(record(1));
    rec.append(record(2));
    long armed = System.currentTimeMillis();
    rec.armLocator(armed);
    Thread.sleep(300);
    assertNull(rec.runFolder());
    assertEquals(2, Files.readAllLines(rec.staging().resolve("requests.jsonl")).size());

    String name = "constantusers-"
        + DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(armed + 3));
    Path run = Files.createDirectories(dir.resolve(name));
    assertEquals(run, rec.awaitRunFolder(5000));
    rec.append(record(3));
    rec.close();

    List<String> lines = Files.readAllLines(run.resolve("requests.jsonl"));
    assertEquals(3, lines.size());
    assertEquals(name, Files.readString(dir.resolve("LATEST")).trim());
    assertFalse(Files.exists(rec.staging()), "staging folder removed once empty");

    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals(1, first.get("schema").asInt());
    assertEquals(12.346, first.get("ttft_ms").asDouble(), 1e-9);
    assertEquals(3, first.get("itl_ms").get("n").asInt());
    assertEquals(2.0, first.get("itl_ms").get("p50").asDouble(), 1e-9);
    assertEquals(3.0, first.get("itl_ms").get("max").asDouble(), 1e-9);
    assertFalse(first.has("tpot_ms"), "absent values are omitted, never 0");
  }
}
