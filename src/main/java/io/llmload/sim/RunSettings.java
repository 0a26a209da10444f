package io.llmload.sim;

import io.llmload.client.ApiKey;
import io.llmload.config.Params;
import io.llmload.dsl.LlmDsl;
import io.llmload.dsl.LlmProtocolBuilder;
import io.llmload.wire.Protocol;
import io.llmload.wire.StreamCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The common {@code -D} parameters of the request and its connection, parsed and checked before any load. */
final class RunSettings {
  private static final Pattern SECRET_HEADER =
      Pattern.compile("(?i)authorization|proxy-authorization|cookie|x-api-key|api-key|.*token.*|.*secret.*|.*key.*");

  final Protocol protocol;
  final int maxTokens;
  final String maxTokensField;
  final String prompt;
  final @Nullable String apiKey;
  final String apiKeyHeader;
  final Duration timeout;
  final Duration idleTimeout;
  final boolean insecure;
  final boolean stream;
  final io.llmload.load.Shards shards;
  final @Nullable Long startAtMs;

  RunSettings(Params params, String defaultPrompt) {
    try {
      // first: a wrong shard or start must not cost an emulator start or a target check
      shards = io.llmload.load.Shards.from(System.getProperties(), System.getenv());
      String at = params.string("startAt");
      startAtMs = at == null ? null : io.llmload.load.StartAt.parse(at, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    if (shards.split()) params.note("shards", shards.count());
    Protocol p = params.parsed("protocol", Protocol::parse);
    protocol = p == null ? Protocol.OPENAI_CHAT : p;
    params.note("protocol", protocol.id());
    maxTokens = params.positiveInt("maxTokens", 256);
    maxTokensField = params.string("maxTokensField", StreamCodec.MAX_TOKENS);
    try {
      StreamCodec.of(protocol, maxTokensField);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    stream = params.string("stream") == null || params.bool("stream", true);
    if (!stream) NonStreamingRun.refuseStreamingObjectives(params);
    prompt = params.string("prompt", defaultPrompt);
    boolean anthropic = protocol == Protocol.ANTHROPIC_MESSAGES; // Anthropic's own key and header
    String apiKeyEnv = params.string("apiKeyEnv", anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
    apiKey = System.getenv(apiKeyEnv);
    apiKeyHeader = params.string("apiKeyHeader", anthropic ? "x-api-key" : ApiKey.DEFAULT_HEADER);
    try {
      ApiKey.checkHeader(apiKeyHeader);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    timeout = params.positiveDuration("timeout", Duration.ofMinutes(5));
    idleTimeout = params.positiveDuration("idleTimeout", Duration.ofSeconds(60));
    insecure = params.bool("tls.insecure", false);
  }

  /** The key as sent, or null without one. */
  @Nullable ApiKey auth() {
    return apiKey == null || apiKey.isBlank() ? null : ApiKey.of(apiKeyHeader, apiKey);
  }

  /** The protocol of the suite's simulations, with {@code -Dheaders} (secret values shown as ***). */
  LlmProtocolBuilder protocolBuilder(Params params, RunTarget t) {
    LlmProtocolBuilder b =
        LlmDsl.llm.target(t.target.urlWithQuery()).protocol(protocol).timeout(timeout).idleTimeout(idleTimeout);
    if (t.model != null) b = b.model(t.model);
    b = b.apiKeyHeader(apiKeyHeader).maxTokensField(maxTokensField).stream(stream);
    if (apiKey != null && !apiKey.isBlank()) b = b.apiKey(apiKey);
    if (insecure) b = b.insecureTls();
    if (protocol == Protocol.OPENAI_EMBEDDINGS) b = b.body("encoding_format", (Object) PoolingRun.encodingFormat(params));
    String headers = params.string("headers");
    if (headers != null) {
      List<String> shown = new ArrayList<>();
      for (String h : headers.split(";")) {
        if (h.isBlank()) continue;
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw params.invalid("headers: '" + h.trim() + "' is not 'Name: value'; separate headers with ';'");
        }
        String name = h.substring(0, colon).trim();
        b = b.header(name, h.substring(colon + 1).trim());
        shown.add(name + ": " + (SECRET_HEADER.matcher(name).matches() ? "***" : h.substring(colon + 1).trim()));
      }
      params.note("headers", String.join("; ", shown));
    }
    return b;
  }
}
