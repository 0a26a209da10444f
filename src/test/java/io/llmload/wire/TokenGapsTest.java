package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inter-token gaps and TPOT with several choices and with chunks that carry several tokens, on
 * a real capture and on streams written here, each checked against a count made by a separate
 * reading (Jackson's tree model) of the same bytes.
 */
class TokenGapsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000_000L;

  /**
   * OpenAI's n=3 capture, each event arriving 1 ms after the previous one: gaps are taken within a
   * choice, so a choice whose chunks are three events apart has 3 ms gaps, not 1 ms.
   */
  @Test
  void severalChoicesHaveGapsAndTpotPerChoice() throws Exception {
    byte[] body = Fixtures.body("openai-chat/openai-gpt4o-n3-multichoice.sse");
    StreamState st = feedOneEventPerMs(Protocol.OPENAI_CHAT, body);

    // reference: per choice, the instants (event index in ms) of chunks with non-empty content
    Map<Integer, long[]> firstLastCount = new HashMap<>();
    String[] events = new String(body, StandardCharsets.UTF_8).split("\n\n");
    long t = 0;
    for (String e : events) {
      if (!e.startsWith("data: ")) continue;
      t++;
      String data = e.substring(6).trim();
      if (data.equals("[DONE]")) continue;
      for (JsonNode c : JSON.readTree(data).path("choices")) {
        String content = c.path("delta").path("content").asText("");
        if (content.isEmpty()) continue;
        long now = t;
        long[] f = firstLastCount.computeIfAbsent(c.get("index").asInt(), k -> new long[] {now, now, 0});
        f[1] = t;
        f[2]++;
      }
    }
    assertEquals(3, firstLastCount.size(), "three choices in the capture");
    long span = 0, gaps = 0;
    for (long[] f : firstLastCount.values()) {
      span += (f[1] - f[0]) * MS;
      gaps += f[2] - 1;
    }
    assertEquals(gaps, st.gapCount(), "one gap per token after each choice's first");
    assertEquals(span, st.decodeNanos());
    Double tpot = Tpot.ms(st.usageCompletionTokens() == null ? st.tokenChunks() : st.usageCompletionTokens(), st);
    assertNotNull(tpot);
    assertEquals((double) span / gaps / 1e6, tpot, 1e-9, "TPOT is the mean gap within choices");
    // pooled across choices (the old rule) the mean gap would be about a third of that
    double pooled = (double) (st.lastTokenNanos() - st.firstTokenNanos()) / 1e6 / (st.tokenChunks() - 1);
    assertTrue(tpot > 2 * pooled, "per-choice TPOT " + tpot + " vs pooled " + pooled);
    long sum = 0;
    for (int i = 0; i < st.gapEntries(); i++) sum += st.gaps()[i] * st.gapWeights()[i];
    assertEquals(span, sum, "the gaps add up to each choice's first-to-last time");
  }

  /** Two choices, each producing a token every 20 ms, interleaved: TPOT 20 ms, not 10. */
  @Test
  void twoChoicesEveryTwentyMillisecondsGiveTpotTwenty() {
    StreamState st = new StreamState(false);
    for (int i = 0; i < 10; i++) {
      st.output(OutputKind.CONTENT, 0, "a", (100 + 20L * i) * MS);
      st.output(OutputKind.CONTENT, 1, "b", (110 + 20L * i) * MS);
    }
    assertEquals(18, st.gapCount());
    assertEquals(20.0, Tpot.ms(20, st), 1e-9);
    for (int i = 0; i < st.gapEntries(); i++) assertEquals(20 * MS, st.gaps()[i]);
  }

  /**
   * vLLM's continuous usage: each chunk's usage says the request has produced k more tokens. A chunk
   * of 4 tokens 40 ms after the previous one is 4 gaps of 10 ms; the first chunk's extra 3 tokens
   * arrived with it (gaps of 0).
   */
  @Test
  void chunksCarryingSeveralTokensCountAsThatManyGaps() {
    StringBuilder sse = new StringBuilder();
    int produced = 0;
    for (int e = 0; e < 8; e++) {
      produced += 4;
      sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"},\"finish_reason\":null}],")
          .append("\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":").append(produced)
          .append(",\"total_tokens\":").append(5 + produced).append("}}\n\n");
    }
    sse.append("data: [DONE]\n\n");
    StreamState st = feedEvery(Protocol.OPENAI_CHAT, sse.toString().getBytes(StandardCharsets.UTF_8), 40 * MS);
    assertEquals(32, st.chunkTokenCount());
    assertEquals(31, st.gapCount());
    assertEquals(8, st.serverCountedChunks());
    long zeros = 0, tens = 0;
    for (int i = 0; i < st.gapEntries(); i++) {
      if (st.gaps()[i] == 0) zeros += st.gapWeights()[i];
      if (st.gaps()[i] == 10 * MS) tens += st.gapWeights()[i];
    }
    assertEquals(3, zeros);
    assertEquals(28, tens);
    assertEquals(7 * 40.0 / 31, Tpot.ms(32, st), 1e-9);
  }

  /** A server that sends usage on the last chunk only says nothing about each chunk's count. */
  @Test
  void usageOnTheLastChunkOnlyIsNoPerChunkCount() {
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cd\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ef\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":6,\"total_tokens\":9}}\n\n"
            + "data: [DONE]\n\n";
    StreamState st = feedEvery(Protocol.OPENAI_CHAT, sse.getBytes(StandardCharsets.UTF_8), 10 * MS);
    assertEquals(0, st.serverCountedChunks());
    assertEquals(2, st.gapCount());
    assertEquals(6L, st.usageCompletionTokens());
  }

  /** llama.cpp's native stream: tokens_predicted grows by the tokens of each event. */
  @Test
  void llamaCppTokensPredictedGivesEachEventsCount() {
    String sse =
        "data: {\"index\":0,\"content\":\"ab\",\"tokens\":[1,2],\"stop\":false,\"tokens_predicted\":2}\n\n"
            + "data: {\"index\":0,\"content\":\"cde\",\"tokens\":[3,4,5],\"stop\":false,\"tokens_predicted\":5}\n\n"
            + "data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"stop\":true,\"tokens_predicted\":5,\"tokens_evaluated\":4,"
            + "\"stop_type\":\"limit\",\"timings\":{\"predicted_n\":5}}\n\n";
    StreamState st = feedEvery(Protocol.LLAMACPP, sse.getBytes(StandardCharsets.UTF_8), 30 * MS);
    assertEquals(5, st.chunkTokenCount());
    assertEquals(4, st.gapCount());
    assertEquals(5L, st.serverOutputTokens());
  }

  /** Several prompts in one llama.cpp request: counts are each prompt's, summed (SYNTHETIC stream). */
  @Test
  void llamaCppSeveralPromptsCountEveryPromptsTokens() {
    String sse =
        "data: {\"index\":0,\"content\":\"a\",\"stop\":false,\"tokens_predicted\":1}\n\n"
            + "data: {\"index\":1,\"content\":\"b\",\"stop\":false,\"tokens_predicted\":1}\n\n"
            + "data: {\"index\":0,\"content\":\"c\",\"stop\":false,\"tokens_predicted\":2}\n\n"
            + "data: {\"index\":1,\"content\":\"d\",\"stop\":false,\"tokens_predicted\":2}\n\n"
            + "data: {\"index\":1,\"content\":\"e\",\"stop\":false,\"tokens_predicted\":3}\n\n"
            + "data: {\"index\":0,\"content\":\"\",\"stop\":true,\"stop_type\":\"limit\",\"tokens_predicted\":2,\"tokens_evaluated\":4,\"timings\":{\"predicted_n\":2,\"prompt_n\":4}}\n\n"
            + "data: {\"index\":1,\"content\":\"\",\"stop\":true,\"stop_type\":\"limit\",\"tokens_predicted\":3,\"tokens_evaluated\":6,\"timings\":{\"predicted_n\":3,\"prompt_n\":6}}\n\n";
    StreamState st = feedEvery(Protocol.LLAMACPP, sse.getBytes(StandardCharsets.UTF_8), MS);
    assertEquals(StreamState.Outcome.DONE, st.outcome());
    assertEquals(5L, st.serverOutputTokens(), "2 + 3 tokens, not the last prompt's 3");
    assertEquals(10L, st.usagePromptTokens(), "4 + 6 prompt tokens");
    assertEquals(3, st.gapCount(), "gaps within each prompt's sequence: 1 + 2");
  }

  private static StreamState feedOneEventPerMs(Protocol p, byte[] body) {
    return feedEvery(p, body, MS);
  }

  /** Feeds the body event by event, the i-th event at i × {@code stepNanos}. */
  static StreamState feedEvery(Protocol p, byte[] body, long stepNanos) {
    StreamCodec codec = StreamCodec.of(p);
    StreamParser parser = codec.newParser();
    StreamState st = new StreamState(false);
    String s = new String(body, StandardCharsets.UTF_8);
    int from = 0;
    long t = 0;
    while (from < s.length()) {
      int end = s.indexOf("\n\n", from);
      end = end < 0 ? s.length() : end + 2;
      byte[] piece = s.substring(from, end).getBytes(StandardCharsets.UTF_8);
      t += stepNanos;
      parser.feed(piece, 0, piece.length, t, st);
      from = end;
    }
    parser.end(t, st);
    return st;
  }
}
