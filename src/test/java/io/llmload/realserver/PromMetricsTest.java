package io.llmload.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The /metrics reader the real-server tests rely on, on a real llama-server capture. */
class PromMetricsTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "streams", "llamacpp-server");

    @Test
    void readsLlamaServerCountersFromARealCapture() throws Exception {
        Path file = FIXTURES.resolve("metrics.prom");
        assertTrue(Files.isRegularFile(file), "fixture missing: " + file.toAbsolutePath()
                + " (the real captures are committed under src/test/resources/fixtures; run from the repository root)");
        PromMetrics m = PromMetrics.parse(Files.readString(file));
        assertEquals(44, m.value("llamacpp:tokens_predicted_total"));
        assertEquals(0.043119, m.value("llamacpp:tokens_predicted_seconds_total"), 1e-12);
        assertEquals(100, m.value("llamacpp:prompt_tokens_total"));
        assertEquals(36, m.value("llamacpp:prompt_tokens_cached_total"));
        assertFalse(m.series().keySet().stream().anyMatch(k -> k.startsWith("#")), "comments are not series");
    }

    @Test
    void anAbsentSeriesIsAnErrorNotZero() {
        PromMetrics m = PromMetrics.parse("# HELP x y\nother_total 3\nlabelled{a=\"b\"} 4\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.value("llamacpp:tokens_predicted_total"));
        assertTrue(e.getMessage().contains("llamacpp:tokens_predicted_total absent"), e.getMessage());
        assertEquals(3, m.value("other_total"));
    }
}
