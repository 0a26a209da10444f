package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real llama-server loads the random model and streams from it, over plain JDK HTTP: the ground the
 * suite-level tests stand on. Skipped without the binary on a developer machine, failed under CI=true.
 */
@Timeout(120)
class LlamaServerSmokeTest {

    private static final int MAX_TOKENS = 8;
    private static LlamaServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        if (LlamaServer.binaryPresent()) {
            server = LlamaServer.start(TinyGguf.defaults(), 2, 512);
        }
    }

    @BeforeEach
    void requireServer() {
        LlamaServer.requireBinary();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            assertTrue(!server.isAlive(), "server process ended on close");
        }
    }

    @Test
    void chatCompletionsStreamsTokensWithUsageAndTimings() throws Exception {
        String body = """
                {"model":"tiny","messages":[{"role":"user","content":"Say something, anything."}],
                 "max_tokens":%d,"stream":true,"stream_options":{"include_usage":true}}""".formatted(MAX_TOKENS);
        SseCapture c = SseCapture.post(CLIENT, server.baseUrl().resolve("/v1/chat/completions"), body);

        assertEquals(200, c.status());
        assertEquals("[DONE]", c.events().get(c.events().size() - 1).raw(), "stream ends with [DONE]");
        List<SseCapture.Event> content = c.events().stream()
                .filter(e -> e.json() != null && !e.json().path("choices").path(0).path("delta").path("content")
                        .asText("").isEmpty())
                .toList();
        JsonNode usage = c.last("usage");
        assertNotNull(usage, "usage chunk present");
        assertEquals(MAX_TOKENS, usage.path("completion_tokens").asInt(), "max_tokens reached: EOS is never sampled");
        assertEquals(MAX_TOKENS, content.size(), "one content chunk per token");
        assertTrue(usage.path("prompt_tokens").asInt() > 5, "chat template applied to the prompt");
        assertTrue(content.get(content.size() - 1).nanos() > content.get(0).nanos(), "tokens arrive over time");

        JsonNode timings = c.last("timings");
        assertNotNull(timings, "llama.cpp timings in the stream");
        assertEquals(MAX_TOKENS, timings.path("predicted_n").asInt());
        assertTrue(timings.path("predicted_per_second").asDouble() > 0);
        assertTrue(timings.path("prompt_ms").asDouble() > 0);
        assertEquals("length", lastFinishReason(c));
    }

    @Test
    void nativeCompletionStreamsTokensAndTimings() throws Exception {
        String body = """
                {"prompt":"Once upon a time","n_predict":%d,"stream":true}""".formatted(MAX_TOKENS);
        SseCapture c = SseCapture.post(CLIENT, server.baseUrl().resolve("/completion"), body);

        assertEquals(200, c.status());
        long contentEvents = c.events().stream()
                .filter(e -> e.json() != null && !e.json().path("content").asText("").isEmpty())
                .count();
        assertEquals(MAX_TOKENS, contentEvents);
        JsonNode last = c.events().get(c.events().size() - 1).json();
        assertTrue(last.path("stop").asBoolean(), "last event has stop=true");
        assertEquals(MAX_TOKENS, last.path("tokens_predicted").asInt());
        assertEquals(MAX_TOKENS, last.path("timings").path("predicted_n").asInt());
    }

    @Test
    void metricsCountPredictedTokens() throws Exception {
        double before = PromMetrics.scrape(CLIENT, server.baseUrl()).value("llamacpp:tokens_predicted_total");
        String body = """
                {"prompt":"Hello","n_predict":%d,"stream":false}""".formatted(MAX_TOKENS);
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.baseUrl().resolve("/completion"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        double after = PromMetrics.scrape(CLIENT, server.baseUrl()).value("llamacpp:tokens_predicted_total");
        assertEquals(MAX_TOKENS, after - before, 0.0, "tokens_predicted_total delta");
    }

    private static String lastFinishReason(SseCapture c) {
        String reason = null;
        for (SseCapture.Event e : c.events()) {
            if (e.json() != null) {
                JsonNode f = e.json().path("choices").path(0).path("finish_reason");
                if (f.isTextual()) {
                    reason = f.asText();
                }
            }
        }
        return reason;
    }
}
