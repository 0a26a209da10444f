package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real embeddings and rerank answers (see SOURCES.md for which are byte-exact): the counts each
 * states, read whole, in random pieces and byte by byte; expected values from a separate Python
 * reading of the files.
 */
class EmbeddingsAndRerankFixturesTest {

  static Stream<Arguments> answers() {
    return Stream.of(
        // file, inputs (vectors or results), prompt tokens (null: none sent), dimensions
        Arguments.of(Protocol.OPENAI_EMBEDDINGS, "openai-embeddings/langchaingo-openai-3small-256d-float.json", 1, 2L, 256L),
        Arguments.of(Protocol.OPENAI_EMBEDDINGS, "openai-embeddings/langchaingo-openai-ada002-3inputs-float.json", 3, 8L, 1536L),
        Arguments.of(Protocol.OPENAI_EMBEDDINGS, "openai-embeddings/pydantic-ai-openai-3small-base64.reserialized.json", 1, 4L, 1536L),
        Arguments.of(Protocol.OPENAI_EMBEDDINGS, "openai-embeddings/vllm-docs-jina-v3-32d-float.json", 1, 8L, 32L),
        Arguments.of(Protocol.RERANK, "rerank/opea-docs-tei-rerank.json", 2, null, null),
        Arguments.of(Protocol.RERANK, "rerank/vercel-ai-cohere-v2-rerank.reserialized.json", 2, null, null),
        Arguments.of(Protocol.RERANK, "rerank/vercel-ai-togetherai-rerank.reserialized.json", 2, 2966L, null),
        Arguments.of(Protocol.RERANK, "rerank/vllm-docs-bge-reranker-base-v1-rerank.json", 2, 56L, null));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("answers")
  void countsAsStatedInAnyPieces(Protocol p, String file, int inputs, Long prompt, Long dimensions) {
    byte[] body = Fixtures.body(file);
    StreamState st = Fixtures.whole(p, body);
    assertEquals(StreamState.Outcome.DONE, st.outcome(), file + ": " + st.error());
    assertEquals(inputs, st.items());
    assertEquals(prompt, st.usagePromptTokens());
    assertEquals(dimensions, st.server().get("dimensions"));
    assertEquals(0, st.firstTokenNanos(), "nothing is generated: no TTFT");
    Fixtures.Snapshot whole = Fixtures.snapshot(st);
    for (long seed = 1; seed <= 3; seed++) {
      assertEquals(whole, Fixtures.snapshot(Fixtures.pieces(p, body, seed, 997)), "seed " + seed);
    }
    assertEquals(whole, Fixtures.snapshot(Fixtures.byteByByte(p, body)), "byte by byte");
  }

  @Test
  void brokenAnswersAreNamed() {
    StreamState ragged = Fixtures.whole(Protocol.OPENAI_EMBEDDINGS,
        "{\"data\":[{\"embedding\":[1,2]},{\"embedding\":[1]}]}".getBytes(StandardCharsets.UTF_8));
    assertEquals(StreamState.Outcome.MALFORMED, ragged.outcome());
    StreamState error = Fixtures.whole(Protocol.RERANK,
        "{\"error\":{\"message\":\"model not loaded\"}}".getBytes(StandardCharsets.UTF_8));
    assertEquals("model not loaded", error.error());
    StreamState noResults = Fixtures.whole(Protocol.RERANK, "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(StreamState.Outcome.MALFORMED, noResults.outcome());
  }

  @Test
  void bodies() throws Exception {
    ObjectMapper m = new ObjectMapper();
    List<Map<String, Object>> texts = List.of(Map.of("role", "user", "content", "a"), Map.of("role", "user", "content", "b"),
        Map.of("role", "user", "content", "c"));
    RequestSpec spec = new RequestSpec("e5", "a", texts, 16, null, false, Map.of());
    JsonNode e = m.readTree(StreamCodec.of(Protocol.OPENAI_EMBEDDINGS).body(spec));
    assertEquals("[\"a\",\"b\",\"c\"]", e.get("input").toString());
    assertEquals("float", e.get("encoding_format").asText());
    assertNull(e.get("max_tokens"), "nothing is generated");
    JsonNode b64 = m.readTree(StreamCodec.of(Protocol.OPENAI_EMBEDDINGS)
        .body(new RequestSpec("e5", "a", null, null, null, false, Map.of("encoding_format", "base64"))));
    assertEquals("base64", b64.get("encoding_format").asText());
    var bad = assertThrows(IllegalArgumentException.class,
        () -> StreamCodec.of(Protocol.OPENAI_EMBEDDINGS).checkExtraBody(Map.of("encoding_format", "int8")));
    assertEquals("body: encoding_format 'int8' is not allowed; allowed: float, base64", bad.getMessage());
    var empty = assertThrows(IllegalArgumentException.class,
        () -> StreamCodec.of(Protocol.OPENAI_EMBEDDINGS).body(new RequestSpec("e5", "", null, null, null, false, Map.of())));
    assertTrue(empty.getMessage().startsWith("embeddings: the request has no input text"), empty.getMessage());

    JsonNode r = m.readTree(StreamCodec.of(Protocol.RERANK).body(spec));
    assertEquals("a", r.get("query").asText());
    assertEquals("[\"b\",\"c\"]", r.get("documents").toString());
    var noDocs = assertThrows(IllegalArgumentException.class,
        () -> StreamCodec.of(Protocol.RERANK).body(RequestSpec.of("m", "q", 8)));
    assertTrue(noDocs.getMessage().startsWith("rerank: the request has no documents"), noDocs.getMessage());
    // a stream=false run changes nothing for them: their answers are whole anyway
    assertEquals("/v1/embeddings", StreamCodec.of(Protocol.OPENAI_EMBEDDINGS, StreamCodec.MAX_TOKENS, false).path());
  }
}
