package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real non-streamed answers (OpenAI pretty-prints them over many lines; llama.cpp writes one line)
 * read by the non-streaming codec, whole, in pieces and byte by byte. Expected values come from a
 * Jackson tree reading of the same file.
 */
class WholeBodyFixturesTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static StreamState read(byte[] body, int maxPiece, long seed) {
    StreamParser p = StreamCodec.of(Protocol.OPENAI_CHAT, StreamCodec.MAX_TOKENS, false).newParser();
    StreamState st = new StreamState(true);
    Random r = new Random(seed);
    for (int i = 0; i < body.length; ) {
      int n = Math.min(body.length - i, 1 + r.nextInt(maxPiece));
      p.feed(body, i, n, 1000 + i, st);
      i += n;
    }
    p.end(5000, st);
    return st;
  }

  private static void check(String file) throws Exception {
    byte[] body = Fixtures.body(file);
    JsonNode tree = M.readTree(body);
    for (int maxPiece : new int[] {body.length, 61, 1}) {
      StreamState st = read(body, maxPiece, maxPiece);
      assertEquals(StreamState.Outcome.DONE, st.outcome(), file + ": " + st.error());
      assertEquals(tree.at("/usage/completion_tokens").asLong(), st.usageCompletionTokens());
      assertEquals(tree.at("/usage/prompt_tokens").asLong(), st.usagePromptTokens());
      assertEquals(tree.at("/choices/0/finish_reason").asText(), st.finishReason());
      assertEquals(tree.at("/choices/0/message/content").asText(), st.content());
      assertEquals(tree.get("id").asText(), st.server().get("id"));
      assertEquals(0, st.firstTokenNanos(), "no made-up TTFT");
      assertEquals(0, st.gapCount());
      assertTrue(st.whole());
    }
  }

  @Test
  void openAiPrettyPrintedVisionAnswer() throws Exception {
    // 267 prompt tokens for five words and one image: the image's tokens are in the usage
    check("openai-chat-vision/langchaingo-gpt4o-image-url.response.json");
  }

  @Test
  void llamaCppOneLineAnswer() throws Exception {
    check("llamacpp-server/chat-nonstream.json");
  }

  @Test
  void aBodyOverTheBoundIsRefusedWithoutBuffering() {
    StreamParser p = new WholeBodyParser(new OpenAiChunkHandler(), 1000);
    StreamState st = new StreamState(false);
    byte[] b = new byte[600];
    java.util.Arrays.fill(b, (byte) ' ');
    p.feed(b, 0, b.length, 1, st);
    p.feed(b, 0, b.length, 2, st);
    p.end(3, st);
    assertEquals(StreamState.Outcome.MALFORMED, st.outcome());
    assertEquals("body larger than 1000 bytes", st.error());
  }
}
