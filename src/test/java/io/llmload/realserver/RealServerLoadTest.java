package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The suite (Gatling, the {@code llm(...)} action, the codecs and the run recorder) against a real
 * llama-server, with more concurrent users than server slots, its figures checked against what the server
 * itself says: {@code /metrics} counters for every protocol, and llama.cpp's per-request {@code timings}
 * where the codec records them.
 */
@Timeout(180)
class RealServerLoadTest {

    private static final int SLOTS = 2;
    private static final int USERS = 4;
    private static final int MAX_TOKENS = 32;
    private static final Duration DURATION = Duration.ofSeconds(3);

    private static LlamaServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        if (LlamaServer.binaryPresent()) {
            server = LlamaServer.start(TinyGguf.defaults(), SLOTS, 512);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void requireServer() {
        LlamaServer.requireBinary();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai-chat", "openai-completions", "llamacpp"})
    void suiteFiguresAgreeWithTheServer(String protocol) throws Exception {
        // Kept under target/ (git-ignored) so a failure can be read afterwards.
        Path results = Files.createTempDirectory(Files.createDirectories(Path.of("target", "realserver-runs")),
                protocol + "-");
        PromMetrics before = PromMetrics.scrape(CLIENT, server.baseUrl());
        GatlingRun run = GatlingRun.run(server.baseUrl().toString(), protocol, USERS, DURATION, MAX_TOKENS, results);
        PromMetrics after = PromMetrics.scrape(CLIENT, server.baseUrl());
        List<JsonNode> records = run.records();
        assertTrue(server.isAlive(), "server survived the run");

        // Every request accounted for, each one a full-length stream, one chunk per token.
        assertTrue(records.size() >= USERS, "at least one request per user: " + records.size());
        long outputTokens = 0;
        for (JsonNode r : records) {
            String id = r.path("id").asText();
            assertEquals("ok", r.path("status").asText(), id + " " + r.path("error").asText());
            assertEquals(protocol, r.path("protocol").asText());
            assertEquals(MAX_TOKENS, r.path("output_tokens").asLong(), id + " output_tokens");
            assertEquals(MAX_TOKENS, r.path("chunk_tokens").asLong(), id + " chunk_tokens");
            assertEquals(protocol.equals("llamacpp") ? "timings" : "usage", r.path("output_tokens_source").asText());
            assertTrue(r.path("ttft_ms").asDouble() > 0 && r.path("ttft_ms").asDouble() < r.path("e2e_ms").asDouble());
            outputTokens += r.path("output_tokens").asLong();
        }

        // The server's own counter of generated tokens moved by exactly what the suite recorded.
        double predicted = delta(before, after, "llamacpp:tokens_predicted_total");
        assertEquals(outputTokens, predicted, 0.0, "tokens_predicted_total delta vs sum of output_tokens");

        // Decode speed: llama-server's tokens_predicted_seconds_total sums, per request, the time from its
        // first sampled token to its last, over which (n - 1) tokens were decoded; the client's
        // (last token - first token) spans the same steps, seen at the other end of the socket.
        double serverDecodeSeconds = delta(before, after, "llamacpp:tokens_predicted_seconds_total");
        double serverDecodeRate = (predicted - records.size()) / serverDecodeSeconds;
        double clientDecodeSeconds = 0;
        for (JsonNode r : records) {
            clientDecodeSeconds += r.path("tpot_ms").asDouble() * (r.path("output_tokens").asLong() - 1) / 1000;
        }
        double clientDecodeRate = (outputTokens - records.size()) / clientDecodeSeconds;
        double rateRatio = clientDecodeRate / serverDecodeRate;

        double[] ttft = records.stream().mapToDouble(r -> r.path("ttft_ms").asDouble()).sorted().toArray();
        double[] decodeMs = records.stream()
                .mapToDouble(r -> r.path("last_token_ms").asDouble() - r.path("ttft_ms").asDouble()).sorted().toArray();
        Figures f = new Figures(protocol, records.size(), outputTokens, clientDecodeRate, serverDecodeRate,
                median(ttft), ttft[ttft.length - 1], median(decodeMs));
        System.out.println(f);
        writeFigures(f);

        assertTrue(rateRatio > 0.8 && rateRatio < 1.25,
                String.format(Locale.ROOT, "client decode %.1f tok/s vs server %.1f tok/s", clientDecodeRate,
                        serverDecodeRate));

        // Four users on two slots: a request waits for a slot, and the wait shows in TTFT (the server's
        // prompt_ms starts only once a slot takes the request). At least a third of the requests must have
        // waited longer than half a request's decode time.
        long waited = Arrays.stream(ttft).filter(t -> t > median(decodeMs) / 2).count();
        assertTrue(waited * 3 >= records.size(),
                waited + " of " + records.size() + " requests show a slot wait in TTFT; " + f);

        if (protocol.equals("llamacpp")) {
            checkTimings(records);
        }
    }

    /** llama.cpp's per-request timings, kept by the llamacpp codec in the record's {@code server} object. */
    private static void checkTimings(List<JsonNode> records) {
        List<Double> ratios = new ArrayList<>();
        double minUnexplained = Double.MAX_VALUE;
        for (JsonNode r : records) {
            String id = r.path("id").asText();
            JsonNode t = r.path("server").path("timings");
            assertFalse(t.isMissingNode(), id + " has server.timings");
            assertEquals(r.path("output_tokens").asLong(), t.path("predicted_n").asLong(), id + " predicted_n");
            double ttft = r.path("ttft_ms").asDouble();
            double promptMs = t.path("prompt_ms").asDouble();
            // TTFT covers the slot wait, the prompt and the first token's trip; the server's prompt_ms only
            // the prompt. Epsilon: both are rounded to microseconds.
            assertTrue(ttft + 0.01 >= promptMs, id + " ttft " + ttft + " < server prompt_ms " + promptMs);
            minUnexplained = Math.min(minUnexplained, ttft - promptMs);
            ratios.add(r.path("decode_tokens_per_s").asDouble() / t.path("predicted_per_second").asDouble());
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertTrue(median(sorted) > 0.85 && median(sorted) < 1.15,
                "median client/server decode ratio per request " + median(sorted));
        // A request that found a free slot: the client sees its first token within a few ms of the server.
        assertTrue(minUnexplained < 50, "smallest ttft - prompt_ms " + minUnexplained + " ms");
        System.out.printf(Locale.ROOT, "llamacpp per-request: decode ratio median %.3f [%.3f..%.3f], "
                + "min ttft-prompt_ms %.2f ms%n", median(sorted), sorted[0], sorted[sorted.length - 1], minUnexplained);
    }

    record Figures(String protocol, int requests, long outputTokens, double clientDecodeTokPerS,
                   double serverDecodeTokPerS, double ttftP50Ms, double ttftMaxMs, double decodeP50Ms) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d requests, %d tokens, decode client %.1f / server %.1f tok/s "
                    + "(ratio %.3f), ttft p50 %.1f ms max %.1f ms, decode p50 %.1f ms", protocol, requests,
                    outputTokens, clientDecodeTokPerS, serverDecodeTokPerS, clientDecodeTokPerS / serverDecodeTokPerS,
                    ttftP50Ms, ttftMaxMs, decodeP50Ms);
        }
    }

    private static void writeFigures(Figures f) {
        try {
            Path out = Path.of("target", "realserver-figures.txt");
            java.nio.file.Files.writeString(out, f + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // figures are a convenience for the docs; the assertions are the test
        }
    }

    private static double delta(PromMetrics before, PromMetrics after, String name) {
        return after.value(name) - before.value(name);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
