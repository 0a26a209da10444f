package io.llmload.dsl;

import io.gatling.javaapi.core.ProtocolBuilder;
import io.llmload.client.ApiKey;
import io.gatling.javaapi.core.Session;
import io.llmload.client.Target;
import io.llmload.record.RunContext;
import io.llmload.wire.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to talk to the inference server: the LLM counterpart of Gatling's {@code http}
 * protocol. Immutable, so all methods return a new occurrence and leave the original unmodified.
 */
public final class LlmProtocolBuilder implements ProtocolBuilder {
  static final LlmProtocolBuilder DEFAULT = new LlmProtocolBuilder(LlmConfig.DEFAULT);

  private final LlmConfig wrapped;
  /** Where the requests record themselves (requests.jsonl, live figures); null: Gatling's stats only. */
  private final @Nullable RunContext run;

  private LlmProtocolBuilder(LlmConfig wrapped) {
    this(wrapped, null);
  }

  private LlmProtocolBuilder(LlmConfig wrapped, @Nullable RunContext run) {
    this.wrapped = wrapped;
    this.run = run;
  }

  private LlmProtocolBuilder make(UnaryOperator<LlmConfig> f) {
    return new LlmProtocolBuilder(f.apply(wrapped), run);
  }

  /**
   * The run the requests record themselves into; {@code LlmSimulation.llmProtocol()} sets it.
   * Without one, requests show in Gatling's stats only.
   */
  public @NonNull LlmProtocolBuilder recordTo(@Nullable RunContext run) {
    return new LlmProtocolBuilder(wrapped, run);
  }

  /** The run set by {@link #recordTo}, or null. */
  public @Nullable RunContext run() {
    return run;
  }

  /**
   * @param baseUrl the server's base URL, e.g. {@code http://gpu-box:8000}
   */
  public @NonNull LlmProtocolBuilder target(@NonNull String baseUrl) {
    Target t = Target.parse(baseUrl);
    return make(c -> c.withTarget(t));
  }

  /** The wire format, e.g. {@link Protocol#OPENAI_CHAT}. */
  public @NonNull LlmProtocolBuilder protocol(@NonNull Protocol p) {
    return make(c -> c.withProtocol(p));
  }

  /** The wire format by name, e.g. {@code "ollama-generate"}. */
  public @NonNull LlmProtocolBuilder protocol(@NonNull String name) {
    return protocol(Protocol.parse(name));
  }

  /** The model every request asks for, unless the request names another. */
  /**
   * The body field that carries {@code maxTokens}: {@code max_tokens} (default), or {@code
   * max_completion_tokens} for OpenAI's reasoning models, which refuse {@code max_tokens}.
   */
  public @NonNull LlmProtocolBuilder maxTokensField(@NonNull String field) {
    return make(c -> c.withMaxTokensField(field));
  }

  /**
   * Whether requests ask for a streamed answer (default) or, with false, one whole JSON answer:
   * then TTFT, ITL and TPOT are absent, TTFB and E2E kept, token counts from the body's usage.
   */
  public @NonNull LlmProtocolBuilder stream(boolean stream) {
    return make(c -> c.withStream(stream));
  }

  public @NonNull LlmProtocolBuilder model(String model) {
    return make(c -> c.withModel(model));
  }

  /**
   * An API key, sent as {@code Authorization: Bearer ...} (or in the header {@link #apiKeyHeader}
   * names); never written anywhere.
   */
  public @NonNull LlmProtocolBuilder apiKey(String key) {
    String header = wrapped.apiKey() == null ? ApiKey.DEFAULT_HEADER : wrapped.apiKey().header();
    ApiKey k = ApiKey.of(header, key == null || key.isBlank() ? "" : key);
    return make(c -> c.withApiKey(k));
  }

  /**
   * The header that carries the API key: {@code Authorization} (as {@code Bearer <key>}, the
   * default), or another that takes the bare key, such as Azure OpenAI's {@code api-key} or
   * {@code x-api-key}.
   */
  public @NonNull LlmProtocolBuilder apiKeyHeader(@NonNull String header) {
    ApiKey k = wrapped.apiKey() == null ? ApiKey.of(header, "") : wrapped.apiKey().inHeader(header);
    return make(c -> c.withApiKey(k));
  }

  /** The API key from an environment variable; absent or empty means no key. */
  public @NonNull LlmProtocolBuilder apiKeyFromEnv(@NonNull String variable) {
    return apiKey(System.getenv(variable));
  }

  /**
   * An extra header on every request.
   *
   * @param value the header value, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmProtocolBuilder header(@NonNull String name, @NonNull String value) {
    return header(name, RequestAssembly.headerValue(value));
  }

  /** An extra header on every request, its value computed from the session. */
  public @NonNull LlmProtocolBuilder header(@NonNull String name, @NonNull Function<Session, String> value) {
    var h = LlmRequest.append(wrapped.headers(), List.of(RequestAssembly.header(name, value)));
    return make(c -> c.withHeaders(h));
  }

  /**
   * A body field on every request (e.g. {@code ignore_eos}, {@code n}). A map merges into an object
   * already there at every depth; the fields the suite needs to measure are refused before load.
   */
  public @NonNull LlmProtocolBuilder body(@NonNull String field, @Nullable Object value) {
    return body(BodyField.fixed(field, value));
  }

  /**
   * @param value the field's value, expressed as a Gatling Expression Language String ({@code
   *     "#{temperature}"} alone keeps the attribute's type)
   */
  public @NonNull LlmProtocolBuilder body(@NonNull String field, @NonNull String value) {
    return body(BodyField.expression(field, value));
  }

  /** A body field on every request, its value computed from the session. */
  public @NonNull LlmProtocolBuilder body(@NonNull String field, @NonNull Function<Session, ?> value) {
    return body(BodyField.computed(field, value));
  }

  private LlmProtocolBuilder body(BodyField f) {
    List<BodyField> b = LlmRequest.append(wrapped.body(), List.of(f));
    return make(c -> c.withBody(b));
  }

  /** Bound on a whole exchange, first byte to last (default 5 min). */
  public @NonNull LlmProtocolBuilder timeout(@NonNull Duration d) {
    return make(c -> c.withTimeout(d));
  }

  /** Bound on silence between two reads (default 60 s). */
  public @NonNull LlmProtocolBuilder idleTimeout(@NonNull Duration d) {
    return make(c -> c.withIdleTimeout(d));
  }

  /** Bound on establishing a connection (default 10 s). */
  public @NonNull LlmProtocolBuilder connectTimeout(@NonNull Duration d) {
    return make(c -> c.withConnectTimeout(d));
  }

  /** Accept any TLS certificate. Off by default; logged when on. */
  public @NonNull LlmProtocolBuilder insecureTls() {
    return make(c -> c.withInsecureTls(true));
  }

  LlmConfig config() {
    return wrapped;
  }

  @Override
  public io.gatling.core.protocol.Protocol protocol() {
    if (wrapped.target() == null) {
      throw new IllegalArgumentException("target: not set; call llm.target(\"http://host:port\")");
    }
    return new LlmProtocol(wrapped, run);
  }
}
