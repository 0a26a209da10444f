package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import io.llmload.client.Target;
import io.llmload.wire.Protocol;
import io.llmload.wire.StreamCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The protocol-level settings an {@link LlmProtocolBuilder} collects. Immutable. */
record LlmConfig(
    @Nullable Target target,
    Protocol protocol,
    @Nullable String model,
    io.llmload.client.@Nullable ApiKey apiKey,
    List<Map.Entry<String, Function<Session, String>>> headers,
    List<BodyField> body,
    Duration timeout,
    Duration idleTimeout,
    Duration connectTimeout,
    boolean insecureTls,
    String maxTokensField,
    boolean stream) {

  static final LlmConfig DEFAULT =
      new LlmConfig(
          null,
          Protocol.OPENAI_CHAT,
          null,
          null,
          List.of(),
          List.of(),
          Duration.ofMinutes(5),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          false,
          StreamCodec.MAX_TOKENS,
          true);

  // One copy per changed field keeps LlmProtocolBuilder's methods one line each.
  LlmConfig withTarget(@Nullable Target v) {
    return new LlmConfig(v, protocol, model, apiKey, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withProtocol(Protocol v) {
    return new LlmConfig(target, v, model, apiKey, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withModel(@Nullable String v) {
    return new LlmConfig(target, protocol, v, apiKey, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withApiKey(io.llmload.client.@Nullable ApiKey v) {
    return new LlmConfig(target, protocol, model, v, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withHeaders(List<Map.Entry<String, Function<Session, String>>> v) {
    return new LlmConfig(target, protocol, model, apiKey, v, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withBody(List<BodyField> v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, v, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withMaxTokensField(String v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, v, stream);
  }

  LlmConfig withTimeout(Duration v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, v, idleTimeout, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withIdleTimeout(Duration v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, timeout, v, connectTimeout, insecureTls, maxTokensField, stream);
  }

  LlmConfig withConnectTimeout(Duration v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, timeout, idleTimeout, v, insecureTls, maxTokensField, stream);
  }

  LlmConfig withInsecureTls(boolean v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, timeout, idleTimeout, connectTimeout, v, maxTokensField, stream);
  }

  LlmConfig withStream(boolean v) {
    return new LlmConfig(target, protocol, model, apiKey, headers, body, timeout, idleTimeout, connectTimeout, insecureTls, maxTokensField, v);
  }

  /** The codec every request of this protocol uses. */
  StreamCodec codec() {
    return StreamCodec.of(protocol, maxTokensField, stream);
  }
}
