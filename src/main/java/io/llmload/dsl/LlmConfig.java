package io.llmload.dsl;

import io.llmload.client.Target;
import io.llmload.wire.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The protocol-level settings an {@link LlmProtocolBuilder} collects. Immutable. */
record LlmConfig(
    @Nullable Target target,
    Protocol protocol,
    @Nullable String model,
    @Nullable String apiKey,
    List<Map.Entry<String, String>> headers,
    Map<String, Object> body,
    Duration timeout,
    Duration idleTimeout,
    Duration connectTimeout,
    boolean insecureTls) {

  static final LlmConfig DEFAULT =
      new LlmConfig(
          null,
          Protocol.OPENAI_CHAT,
          null,
          null,
          List.of(),
          Map.of(),
          Duration.ofMinutes(5),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          false);
}
