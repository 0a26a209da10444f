package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The suite (the {@code ConstantUsers} simulation: Gatling, the {@code llm(...)} action, the codecs and the
 * run recorder) against a real llama-server, with more concurrent users than server slots, its figures checked against what the server
 * itself says: {@code /metrics} counters for every protocol, and llama.cpp's per-request {@code timings}
 * where the codec records them.
 */
@Timeout(180)
class RealServerLoadTest {

    private static final int SLOTS = 2;
    private static final int USERS = 4;
    private static final int MAX_TOKENS = 32;
    private static final Duration DURATION = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();
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
        // Kept under target/ (git-ignored) so a failed run's folder can be read afterwards.
        Path results = Files.createTempDirectory(Files.createDirectories(Path.of("target", "realserver-runs")),
                protocol + "-");
        PromMetrics before = PromMetrics.scrape(CLIENT, server.baseUrl());
        // The path a user takes: the default simulation with -Dtarget and -Dprotocol, in its own JVM.
        SimulationRunner.Result run = SimulationRunner.run("io.llmload.simulations.ConstantUsers", Map.of(
                "target", server.baseUrl().toString(), "protocol", protocol, "users", Integer.toString(USERS),
                "duration", DURATION.toSeconds() + "s", "maxTokens", Integer.toString(MAX_TOKENS)),
                results, Duration.ofSeconds(120));
        PromMetrics after = PromMetrics.scrape(CLIENT, server.baseUrl());
        assertEquals(0, run.exitCode(), SimulationRunner.tail(run.output()));
        assertTrue(server.isAlive(), "server survived the run");
        Path folder = run.runFolder();
        assertNotNull(folder, "LATEST names the run folder");
        List<JsonNode> records = readRecords(folder.resolve("requests.jsonl"));
        long[] gatling = run.gatlingCount("chat");
        assertNotNull(gatling, "Gatling has a row for the request");
        assertEquals(gatling[0], records.size(), "one record per request Gatling counted");

        JsonNode runJson = JSON.readTree(folder.resolve("run.json").toFile());
        assertTrue(runJson.path("complete").asBoolean());
        assertEquals(protocol, runJson.path("protocol").asText());
        assertTrue(runJson.path("emulator").isNull() || runJson.path("emulator").isMissingNode(), "a real target");
        assertEquals(protocol.equals("llamacpp") ? "/props" : "/v1/models",
                runJson.path("server").path("path").asText(), "server identity in run.json");

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
        appendFigures(f.toString());

        assertTrue(rateRatio > 0.8 && rateRatio < 1.25,
                String.format(Locale.ROOT, "client decode %.1f tok/s vs server %.1f tok/s", clientDecodeRate,
                        serverDecodeRate));

        // Four users on two slots: a request waits for a slot, and the wait shows in TTFT (the server's
        // prompt_ms starts only once a slot takes the request). At least a third of the requests must have
        // waited longer than half a request's decode time.
        long waited = Arrays.stream(ttft).filter(t -> t > median(decodeMs) / 2).count();
        assertTrue(waited * 3 >= records.size(),
                waited + " of " + records.size() + " requests show a slot wait in TTFT; " + f);

        long promptTokens = records.stream().mapToLong(r -> r.path("prompt_tokens").asLong()).sum();
        double serverPrompt = delta(before, after, "llamacpp:prompt_tokens_total");
        double serverCached = delta(before, after, "llamacpp:prompt_tokens_cached_total");
        System.out.printf(Locale.ROOT, "%s prompt tokens: records %d, server processed %.0f + cached %.0f%n",
                protocol, promptTokens, serverPrompt, serverCached);
        // The same prompt every request, so most of it comes from the server's prompt cache; the record's
        // prompt_tokens counts it whole, the server splits it into processed and cached.
        assertEquals(promptTokens, serverPrompt + serverCached, 0.0, "sum of prompt_tokens vs server counters");

        if (protocol.equals("llamacpp")) {
            checkTimings(records);
        }
    }

    /** llama.cpp's per-request timings, kept by the llamacpp codec in the record's {@code server} object. */
    private static void checkTimings(List<JsonNode> records) {
        List<Double> ratios = new ArrayList<>();
        List<Double> prompts = new ArrayList<>();
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
            prompts.add(promptMs);
            ratios.add(r.path("decode_tokens_per_s").asDouble() / t.path("predicted_per_second").asDouble());
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertTrue(median(sorted) > 0.85 && median(sorted) < 1.15,
                "median client/server decode ratio per request " + median(sorted));
        // A request that found a free slot sees its first token soon after the server's prompt is done:
        // far less than the slot wait the others show (half a request's decode time at least).
        double[] decodeMs = records.stream()
                .mapToDouble(r -> r.path("last_token_ms").asDouble() - r.path("ttft_ms").asDouble()).sorted().toArray();
        assertTrue(minUnexplained < median(decodeMs) / 2,
                "smallest ttft - prompt_ms " + minUnexplained + " ms vs median decode " + median(decodeMs) + " ms");
        String line = String.format(Locale.ROOT, "llamacpp per-request: client/server decode ratio median %.3f "
                + "[%.3f..%.3f], server prompt_ms p50 %.2f ms, min ttft - prompt_ms %.2f ms", median(sorted), sorted[0],
                sorted[sorted.length - 1], median(prompts.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
                minUnexplained);
        System.out.println(line);
        appendFigures(line);
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

    /** Appends to target/realserver-figures.txt, where docs/real-server.md's figures come from. */
    private static void appendFigures(String line) {
        try {
            Path out = Path.of("target", "realserver-figures.txt");
            Files.writeString(out, line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // figures are a convenience for the docs; the assertions are the test
        }
    }

    private static List<JsonNode> readRecords(Path jsonl) throws java.io.IOException {
        String text = Files.readString(jsonl, java.nio.charset.StandardCharsets.UTF_8);
        List<JsonNode> records = new ArrayList<>();
        int from = 0;
        // A line without its newline is a torn write; the run-folder contract says readers skip it.
        for (int nl = text.indexOf('\n'); nl >= 0; from = nl + 1, nl = text.indexOf('\n', from)) {
            if (nl > from) {
                records.add(JSON.readTree(text.substring(from, nl)));
            }
        }
        return records;
    }

    private static double delta(PromMetrics before, PromMetrics after, String name) {
        return after.value(name) - before.value(name);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
