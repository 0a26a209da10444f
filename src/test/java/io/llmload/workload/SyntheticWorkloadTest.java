package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.llmload.wire.Protocol;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticWorkloadTest {

  private static int words(Object prompt) {
    return ((String) prompt).split(" ").length;
  }

  @Test
  void sameSeedGivesTheSamePromptsAndLengths() {
    String[] kv = {"workload", "synthetic", "input", "uniform:20,200", "output", "normal:64,16", "seed", "7"};
    List<Map<String, Object>> a = take(build(kv), 200);
    List<Map<String, Object>> b = take(build(kv), 200);
    assertEquals(a, b);
    Workload w = build(kv);
    // each feeder() starts the sequence over
    assertEquals(take(w, 50), take(w, 50));
  }

  @Test
  void differentSeedGivesDifferentPromptsAndLengths() {
    List<Map<String, Object>> a = take(build("workload", "synthetic", "input", "uniform:20,200", "output", "uniform:10,500", "seed", "1"), 100);
    List<Map<String, Object>> b = take(build("workload", "synthetic", "input", "uniform:20,200", "output", "uniform:10,500", "seed", "2"), 100);
    assertNotEquals(field(a, "prompt"), field(b, "prompt"));
    assertNotEquals(field(a, "inputTokens"), field(b, "inputTokens"));
    assertNotEquals(field(a, "maxTokens"), field(b, "maxTokens"));
  }

  @Test
  void promptLengthsHitTheDrawnInputLengths() {
    List<Map<String, Object>> recs = take(build("workload", "synthetic", "input", "uniform:5,300"), 500);
    Set<String> distinct = new HashSet<>();
    for (Map<String, Object> r : recs) {
      int n = (Integer) r.get("inputTokens");
      assertTrue(n >= 5 && n <= 300, "inputTokens " + n);
      assertEquals(n, words(r.get("prompt")), "one generated word is one estimated token");
      assertEquals("estimated", r.get("inputTokensSource"));
      assertNull(r.get("messages"));
      distinct.add((String) r.get("prompt"));
    }
    assertEquals(recs.size(), distinct.size(), "every prompt is its own");
  }

  @Test
  void outputDefaultsToMaxTokensAndIsForcedOnOpenAi() {
    Workload w = build("workload", "synthetic");
    Map<String, Object> r = take(w, 1).get(0);
    assertEquals(77, r.get("maxTokens"));
    assertEquals(77, r.get("minTokens"));
    assertEquals(512, r.get("inputTokens"));
    assertTrue(w.forcesOutputLength());
    assertEquals(Map.of("ignore_eos", true), w.extraBody());
  }

  @Test
  void forcingFollowsTheProtocol() {
    Workload llama = build(Protocol.LLAMACPP, "workload", "synthetic");
    assertEquals(Map.of("ignore_eos", true), llama.extraBody());
    assertFalse(take(llama, 1).get(0).containsKey("minTokens"), "llama.cpp takes no min_tokens");
    for (Protocol p : List.of(Protocol.OLLAMA_CHAT, Protocol.OLLAMA_GENERATE, Protocol.TGI)) {
      Workload w = build(p, "workload", "synthetic");
      assertFalse(w.forcesOutputLength(), p.id());
      assertEquals(Map.of(), w.extraBody(), p.id());
      @SuppressWarnings("unchecked")
      Map<String, Object> out = (Map<String, Object>) w.describe().get("output_length");
      assertTrue(((String) out.get("not_forced_because")).contains("upper bound"), out.toString());
    }
    assertEquals(
        "output.force: tgi cannot force the output length (parameters.max_new_tokens is only an upper bound; TGI has no ignore_eos or min_tokens); use auto or false",
        error(Protocol.TGI, "workload", "synthetic", "output.force", "true"));
    assertFalse(build("workload", "synthetic", "output.force", "false").forcesOutputLength());
  }

  @Test
  void sharedPrefixOpensEveryPromptAndCountsTowardTheLength() {
    List<Map<String, Object>> recs = take(build("workload", "synthetic", "input", "fixed:300", "sharedPrefix", "100", "seed", "3"), 50);
    String first = (String) recs.get(0).get("prompt");
    String prefix = String.join(" ", List.of(first.split(" ")).subList(0, 100));
    Set<String> rests = new HashSet<>();
    for (Map<String, Object> r : recs) {
      String p = (String) r.get("prompt");
      assertTrue(p.startsWith(prefix + " "), "shared prefix present");
      assertEquals(300, words(p));
      assertEquals(300, r.get("inputTokens"));
      rests.add(p.substring(prefix.length()));
    }
    assertEquals(recs.size(), rests.size(), "the rest differs between prompts");
    // without the option the first 100 words are not shared
    List<Map<String, Object>> plain = take(build("workload", "synthetic", "input", "fixed:300", "seed", "3"), 2);
    assertNotEquals(((String) plain.get(0).get("prompt")).substring(0, 400), ((String) plain.get(1).get("prompt")).substring(0, 400));
  }

  @Test
  void describeSaysWhatWasDrawn() {
    Map<String, Object> d = build("workload", "synthetic", "input", "normal:500,100", "input.max", "800", "seed", "9").describe();
    assertEquals("synthetic", d.get("kind"));
    assertEquals(9L, d.get("seed"));
    assertEquals(Map.of("distribution", "normal", "spec", "normal:500,100", "mean", 500.0, "sd", 100.0, "clamp_max", 800), d.get("input"));
    assertTrue(((String) d.get("text")).startsWith("synthetic"));
    @SuppressWarnings("unchecked")
    Map<String, Object> tok = (Map<String, Object>) d.get("input_tokens");
    assertEquals("the embedded emulator has no /tokenize", tok.get("estimated_because"));
  }
}
