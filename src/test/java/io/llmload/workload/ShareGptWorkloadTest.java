package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareGptWorkloadTest {
  @TempDir Path tmp;

  @Test
  void firstHumanTurnIsThePromptAndFirstGptTurnSetsTheOutputLength() {
    Workload w = build("workload", "sharegpt", "sharegpt", sample("sharegpt-synthetic.json"));
    List<Map<String, Object>> recs = take(w, 4);
    assertEquals("SYNTHETIC sample: what is the capital of France?", recs.get(0).get("prompt"));
    assertEquals(List.of(Map.of("role", "user", "content", "SYNTHETIC sample: what is the capital of France?")), recs.get(0).get("messages"));
    // "SYNTHETIC sample answer: the capital of France is Paris, which is also its largest city." = 88 chars -> 22
    assertEquals(22, recs.get(0).get("maxTokens"));
    assertEquals(22, recs.get(0).get("minTokens"), "a ShareGPT output target is forced where the protocol allows");
    assertEquals("SYNTHETIC sample: give me a short list of prime numbers.", recs.get(1).get("prompt"), "system turn skipped");
    assertEquals(11, recs.get(1).get("maxTokens")); // 42 chars
    assertEquals("SYNTHETIC sample: write a limerick about load testing.", recs.get(2).get("prompt"), "entry without an answer skipped");
    assertEquals(recs.get(0), recs.get(3));
    Map<String, Object> d = w.describe();
    assertEquals(4, d.get("entries"));
    assertEquals(1, d.get("skipped_entries"));
    assertEquals(3, d.get("prompts"));
  }

  @Test
  void outputMaxClampsTheTarget() {
    List<Map<String, Object>> recs = take(build("workload", "sharegpt", "sharegpt", sample("sharegpt-synthetic.json"), "output.max", "15"), 3);
    assertEquals(List.of(15, 11, 15), field(recs, "maxTokens"));
  }

  @Test
  void badFilesNameFileAndLine() throws Exception {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, "[\n {\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}, {\"from\": \"gpt\", \"value\": \"yo\"}]},\n {\"id\": 2}\n]");
    assertEquals("sharegpt: " + f + " line 3: entry 2 is not an object with a \"conversations\" array",
        error("workload", "sharegpt", "sharegpt", f.toString()));
    Files.writeString(f, "{\"conversations\": []}");
    assertEquals("sharegpt: " + f + " line 1: not a JSON array of {\"conversations\": [...]} entries",
        error("workload", "sharegpt", "sharegpt", f.toString()));
    Files.writeString(f, "[\n {\"conversations\": [{\"from\": \"human\"}]}\n]");
    assertEquals("sharegpt: " + f + " line 2: entry 1 has a turn that is not {\"from\": string, \"value\": string}",
        error("workload", "sharegpt", "sharegpt", f.toString()));
    Files.writeString(f, "[\n {\"conversations\": [{\"from\": \"human\", \"value\": \"only a question\"}]}\n]");
    assertEquals("sharegpt: file '" + f + "' has no conversation with a human turn followed by a gpt turn",
        error("workload", "sharegpt", "sharegpt", f.toString()));
    Files.writeString(f, "[\n {\"conversations\": [\n");
    String msg = error("workload", "sharegpt", "sharegpt", f.toString());
    assertTrue(msg.startsWith("sharegpt: " + f + " line "), msg);
    assertFalse(msg.contains("\n"), msg);
    assertEquals("sharegpt: file 'missing.json' not found", error("workload", "sharegpt", "sharegpt", "missing.json"));
  }
}
