package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import io.llmload.testsims.FaultMix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix: every emulator fault in one run next to healthy users (synthetic server). Each
 * row must be classified right, counted as failed by Gatling, and accounted for exactly.
 */
class FaultMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REPEAT = 2;

  /** Row → expected status, HTTP status (null: none), the start of the error text (null: no error). */
  private static final Map<String, Object[]> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("healthy-1", new Object[] {"ok", 200, null});
    EXPECTED.put("healthy-2", new Object[] {"ok", 200, null});
    EXPECTED.put("healthy-3", new Object[] {"ok", 200, null});
    EXPECTED.put("reset-before-headers", new Object[] {"connection_error", null, "connection error before response headers: "});
    EXPECTED.put("reset-mid-stream", new Object[] {"truncated", 200, "connection error mid-stream"});
    EXPECTED.put("stall", new Object[] {"timeout", 200, "no data for 2000 ms"});
    EXPECTED.put("malformed-chunk", new Object[] {"stream_error", 200, "malformed chunk: "});
    EXPECTED.put("error-in-200", new Object[] {"stream_error", 200, "emulated error after 3 tokens"});
    EXPECTED.put("no-final-event", new Object[] {"truncated", 200, "connection closed mid-stream, before the final event"});
    EXPECTED.put("http-429", new Object[] {"http_error", 429, "HTTP 429: {"});
    EXPECTED.put("http-500", new Object[] {"http_error", 500, "HTTP 500: {"});
    EXPECTED.put("http-503", new Object[] {"http_error", 503, "HTTP 503: {"});
    EXPECTED.put("not-a-stream", new Object[] {"stream_error", 200, "response is not a stream (Content-Type: application/json"});
    EXPECTED.put("huge-chunk", new Object[] {"ok", 200, null});
    EXPECTED.put("trickle", new Object[] {"ok", 200, null});
    EXPECTED.put("close-after", new Object[] {"ok", 200, null});
  }

  /**
   * SSE (openai-chat), NDJSON (ollama-chat) and the event-typed SSE of the Responses and Messages
   * APIs by default; {@code -Dfaults.allProtocols=true}
   * runs every protocol (about 15 s each).
   */
  static List<String> protocols() {
    if (Boolean.getBoolean("faults.allProtocols")) {
      return java.util.Arrays.stream(io.llmload.wire.Protocol.values()).filter(io.llmload.wire.Protocol::generates).map(io.llmload.wire.Protocol::id).toList();
    }
    return List.of("openai-chat", "ollama-chat", "openai-responses", "anthropic-messages");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void everyFaultIsClassifiedCountedAndAccountedFor(String protocol, @TempDir Path dir) throws Exception {
    var r =
        SimulationRunner.run(
            "io.llmload.testsims.FaultMix",
            Map.of(
                "protocol", protocol,
                "emulator.mode", "fixed-rate",
                "emulator.tokensPerSecond", "200",
                "maxTokens", "16",
                "idleTimeout", "2s",
                "timeout", "20s",
                "test.repeat", Integer.toString(REPEAT),
                "console.period", "0s"),
            dir,
            Duration.ofSeconds(120));
    assertEquals(0, r.exitCode(), SimulationRunner.tail(r.output()));
    List<JsonNode> recs = new ArrayList<>();
    for (String line : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) recs.add(JSON.readTree(line));

    Map<String, List<JsonNode>> byRow = new TreeMap<>();
    for (JsonNode n : recs) byRow.computeIfAbsent(n.get("request").asText(), k -> new ArrayList<>()).add(n);
    StringBuilder table = new StringBuilder();
    for (var e : byRow.entrySet()) {
      for (JsonNode n : e.getValue()) {
        table.append(e.getKey()).append(" | ").append(n.path("status").asText()).append(" | ")
            .append(n.path("http_status").asText("-")).append(" | ").append(n.path("error").asText("-")).append('\n');
      }
    }
    System.out.println("FAULT MATRIX " + protocol + "\n" + table);
    assertEquals(FaultMix.ROWS.size(), EXPECTED.size(), "every row has an expectation");
    long okRecords = recs.stream().filter(n -> n.get("status").asText().equals("ok")).count();
    long total = 0, ok = 0, ko = 0;
    List<String> problems = new ArrayList<>();
    for (var e : EXPECTED.entrySet()) {
      String row = e.getKey();
      String status = (String) e.getValue()[0];
      Integer http = (Integer) e.getValue()[1];
      String error = (String) e.getValue()[2];
      List<JsonNode> got = byRow.getOrDefault(row, List.of());
      if (got.size() != REPEAT) problems.add(row + ": " + got.size() + " records, expected " + REPEAT);
      for (JsonNode n : got) {
        if (!status.equals(n.get("status").asText())) problems.add(row + ": status " + n.get("status") + ", expected " + status);
        Integer h = n.hasNonNull("http_status") ? n.get("http_status").asInt() : null;
        if (!java.util.Objects.equals(http, h)) problems.add(row + ": http_status " + h + ", expected " + http);
        if (error == null && n.has("error")) problems.add(row + ": unexpected error " + n.get("error"));
        if (error != null && !(n.hasNonNull("error") && n.get("error").asText().startsWith(error) && !n.get("error").asText().isBlank())) {
          problems.add(row + ": error " + n.get("error") + ", expected to start with '" + error + "'");
        }
      }
      long[] c = r.gatlingCount(row);
      if (c == null) {
        problems.add(row + ": no Gatling row");
        continue;
      }
      long expectOk = status.equals("ok") ? REPEAT : 0;
      if (c[0] != REPEAT || c[1] != expectOk || c[2] != REPEAT - expectOk) {
        problems.add(row + ": Gatling counts " + java.util.Arrays.toString(c) + ", expected total " + REPEAT + " ok " + expectOk);
      }
      total += c[0];
      ok += c[1];
      ko += c[2];
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + table);
    // sent = ok + failed, exactly, and the records agree with Gatling.
    assertEquals(total, ok + ko);
    assertEquals(total, recs.size(), "one record per request Gatling counted");
    assertEquals(ok, okRecords, "records ok == Gatling OK");
  }
}
