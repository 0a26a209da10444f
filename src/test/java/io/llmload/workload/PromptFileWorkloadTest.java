package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileWorkloadTest {
  @TempDir Path tmp;

  @Test
  void fixedRepeatsTheRunPrompt() {
    Workload w = build();
    for (Map<String, Object> r : take(w, 3)) {
      assertEquals("Hello there", r.get("prompt"));
      assertEquals(77, r.get("maxTokens"));
      assertEquals(3, r.get("inputTokens")); // ceil(11 / 4)
      assertFalse(r.containsKey("minTokens"));
    }
    assertFalse(w.forcesOutputLength());
    assertEquals("fixed", w.describe().get("kind"));
  }

  @Test
  void jsonlGivesPromptsMessagesAndMaxTokensInCircularOrder() {
    List<Map<String, Object>> recs = take(build("workload", "file", "prompts", sample("prompts.jsonl")), 5);
    assertEquals("Write a Python function that returns the first 10 Fibonacci numbers.", recs.get(0).get("prompt"));
    assertEquals(128, recs.get(0).get("maxTokens"));
    assertNull(recs.get(0).get("messages"));
    assertEquals("Name three sorting algorithms.", recs.get(2).get("prompt"), "the last user message");
    assertEquals(2, ((List<?>) recs.get(2).get("messages")).size());
    // system 26 chars + user 30 chars = 56 -> 14 estimated tokens, as the emulator counts them
    assertEquals(14, recs.get(2).get("inputTokens"));
    assertEquals(77, recs.get(3).get("maxTokens"), "no max_tokens: the run's default");
    assertEquals(recs.get(0), recs.get(4), "circular");
  }

  @Test
  void csvFollowsRfc4180() {
    List<Map<String, Object>> recs = take(build("workload", "file", "prompts", sample("prompts.csv")), 3);
    assertEquals("Summarise the plot of Hamlet, in one paragraph.", recs.get(0).get("prompt"));
    assertEquals(96, recs.get(0).get("maxTokens"));
    assertEquals("Write a haiku about GPUs.", recs.get(1).get("prompt"));
    assertEquals("A prompt with \"quotes\" and\na line break.", recs.get(2).get("prompt"));
    assertEquals(77, recs.get(2).get("maxTokens"));
  }

  @Test
  void randomAndShuffleAreSeeded() throws Exception {
    Path f = tmp.resolve("ten.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) sb.append("{\"prompt\": \"p").append(i).append("\"}\n");
    Files.writeString(f, sb);
    String file = f.toString();

    List<Object> shuffled = field(take(build("workload", "file", "prompts", file, "prompts.order", "shuffle", "seed", "5"), 30), "prompt");
    for (int pass = 0; pass < 3; pass++) {
      Set<Object> seen = new HashSet<>(shuffled.subList(pass * 10, pass * 10 + 10));
      assertEquals(10, seen.size(), "each pass is a permutation");
    }
    assertNotEquals(shuffled.subList(0, 10), shuffled.subList(10, 20), "a new permutation each pass");
    assertEquals(shuffled, field(take(build("workload", "file", "prompts", file, "prompts.order", "shuffle", "seed", "5"), 30), "prompt"));

    List<Object> random = field(take(build("workload", "file", "prompts", file, "prompts.order", "random", "seed", "5"), 200), "prompt");
    assertEquals(random, field(take(build("workload", "file", "prompts", file, "prompts.order", "random", "seed", "5"), 200), "prompt"));
    assertNotEquals(random, field(take(build("workload", "file", "prompts", file, "prompts.order", "random", "seed", "6"), 200), "prompt"));
    assertEquals(10, new HashSet<>(random).size());
    List<Object> circular = field(take(build("workload", "file", "prompts", file), 12), "prompt");
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) expected.add("p" + (i % 10));
    assertEquals(expected, circular);
  }

  @Test
  void malformedLinesNameFileAndLine() throws Exception {
    Path f = tmp.resolve("bad.jsonl");
    Files.writeString(f, "{\"prompt\": \"ok\"}\n\n{\"text\": \"no prompt\"}\n");
    assertEquals("prompts: " + f + " line 3: not a JSON object with \"prompt\" or \"messages\"",
        error("workload", "file", "prompts", f.toString()));
    Files.writeString(f, "{\"prompt\": \"ok\"}\n{\"prompt\": \"x\", \"max_tokens\": 0}\n");
    assertEquals("prompts: " + f + " line 2: \"max_tokens\" must be a whole number >= 1, not 0",
        error("workload", "file", "prompts", f.toString()));
    Files.writeString(f, "{not json\n");
    assertEquals("prompts: " + f + " line 1: not a JSON object with \"prompt\" or \"messages\"",
        error("workload", "file", "prompts", f.toString()));
    Path c = tmp.resolve("bad.csv");
    Files.writeString(c, "prompt,max_tokens\nfine,12\n\"unclosed,3\n");
    assertEquals("prompts: " + c + " line 3: a quoted field is not closed", error("workload", "file", "prompts", c.toString()));
    Files.writeString(c, "prompt,max_tokens\nfine,12\nextra,1,2\n");
    assertEquals("prompts: " + c + " line 3: 3 fields where the header has 2", error("workload", "file", "prompts", c.toString()));
    Files.writeString(c, "text\nx\n");
    assertEquals("prompts: " + c + " line 1: the header has no 'prompt' column", error("workload", "file", "prompts", c.toString()));
  }

  @Test
  void missingAndWrongFilesAreOneLine() throws Exception {
    assertEquals("prompts: file 'nope.jsonl' not found", error("workload", "file", "prompts", "nope.jsonl"));
    assertEquals("prompts: required for this workload; give a .jsonl or .csv prompt file", error("workload", "file"));
    Path t = tmp.resolve("p.txt");
    Files.writeString(t, "hello\n");
    assertEquals("prompts: '" + t + "' is not a .jsonl or .csv file", error("workload", "file", "prompts", t.toString()));
    Path e = tmp.resolve("empty.jsonl");
    Files.writeString(e, "\n");
    assertEquals("prompts: file '" + e + "' has no prompts", error("workload", "file", "prompts", e.toString()));
    assertEquals("prompts.order: 'sorted' is not one of circular, random, shuffle",
        error("workload", "file", "prompts", sample("prompts.csv"), "prompts.order", "sorted"));
  }
}
