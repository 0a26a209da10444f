package io.llmload.config;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ParamsTest {

  private static Params params(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return new Params(p);
  }

  @Test
  void badUsersNameTheParameterAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> params("users", "abc").positiveInt("users", 1));
    assertEquals("users: 'abc' is not a whole number; allowed: a whole number >= 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> params("users", "0").positiveInt("users", 1));
    assertEquals("users: 0 is out of range; allowed: a whole number >= 1", e.getMessage());
  }

  @Test
  void negativeAndMalformedDurationsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> params("duration", "-1s").positiveDuration("duration", Duration.ofSeconds(30)));
    assertTrue(e.getMessage().startsWith("duration: '-1s' is negative"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> params("duration", "10 parsecs").duration("duration", Duration.ZERO));
    assertTrue(e.getMessage().startsWith("duration: '10 parsecs' is not a duration"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> params("duration", "0s").positiveDuration("duration", Duration.ofSeconds(30)));
    assertTrue(e.getMessage().startsWith("duration: must be greater than 0"), e.getMessage());
  }

  @Test
  void durationsInEveryUnit() {
    assertEquals(Duration.ofMillis(500), Durations.parse("d", "500ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("d", "1.5s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("d", "2m"));
    assertEquals(Duration.ofHours(1), Durations.parse("d", "1h"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("d", "30"));
  }

  @Test
  void errorHandlerSeesTheLineBeforeTheThrow() {
    List<String> seen = new ArrayList<>();
    Properties p = new Properties();
    p.setProperty("maxTokens", "-3");
    Params params = new Params(p, seen::add);
    assertThrows(IllegalArgumentException.class, () -> params.positiveInt("maxTokens", 256));
    assertEquals(List.of("maxTokens: -3 is out of range; allowed: a whole number >= 1"), seen);
  }

  @Test
  void secretsAreMaskedInTheUsedParameters() {
    Params p = params("apiKey", "sk-live-123", "users", "4", "slo.ttft", "2s");
    p.string("apiKey");
    p.positiveInt("users", 1);
    p.string("apiKeyEnv", "OPENAI_API_KEY");
    assertEquals("***", p.used().get("apiKey"));
    assertEquals(4, p.used().get("users"));
    assertEquals("OPENAI_API_KEY", p.used().get("apiKeyEnv"));
    assertFalse(p.used().toString().contains("sk-live-123"));
  }
}
