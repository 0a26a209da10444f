package io.llmload.dsl;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * A streaming LLM request, used like {@code http(...).post(...)}. Immutable, so all methods return
 * a new occurrence and leave the original unmodified. As in Gatling, each setting takes a static
 * value, a Gatling Expression Language string, or a function of the session.
 */
public final class LlmRequestActionBuilder implements ActionBuilder {
  private final LlmRequest wrapped;

  LlmRequestActionBuilder(LlmRequest wrapped) {
    this.wrapped = wrapped;
  }

  private LlmRequestActionBuilder with(Consumer<LlmRequest.Draft> edit) {
    return new LlmRequestActionBuilder(wrapped.with(edit));
  }

  /** What this builder collected (tests). */
  LlmRequest request() {
    return wrapped;
  }

  /** Upper bound on generated tokens. */
  public @NonNull LlmRequestActionBuilder maxTokens(int maxTokens) {
    return maxTokens(s -> maxTokens);
  }

  /**
   * @param maxTokens upper bound on generated tokens, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder maxTokens(@NonNull String maxTokens) {
    return maxTokens(SessionValues.integer(maxTokens));
  }

  /** Upper bound on generated tokens, computed from the session (null: the server's default). */
  public @NonNull LlmRequestActionBuilder maxTokens(@NonNull Function<Session, Integer> maxTokens) {
    return with(d -> d.maxTokens = maxTokens);
  }

  /**
   * @param model the model for this request, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder model(@NonNull String model) {
    return model(SessionValues.isExpression(model) ? SessionValues.string(model) : s -> model);
  }

  /** The model for this request, computed from the session (null: the protocol's). */
  public @NonNull LlmRequestActionBuilder model(@NonNull Function<Session, String> model) {
    return with(d -> d.model = model);
  }

  /** Forces at least this many output tokens where the server allows it ({@code min_tokens}). */
  public @NonNull LlmRequestActionBuilder minTokens(int minTokens) {
    return minTokens(s -> minTokens);
  }

  /**
   * @param minTokens forced minimum output length, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder minTokens(@NonNull String minTokens) {
    return minTokens(SessionValues.integer(minTokens));
  }

  /** Forces a minimum output length computed from the session (null: none). */
  public @NonNull LlmRequestActionBuilder minTokens(@NonNull Function<Session, Integer> minTokens) {
    return with(d -> d.minTokens = minTokens);
  }

  /**
   * The conversation to send (role and content maps). Chat protocols send it as is; the protocols
   * that take one text send every message's content joined by newlines (docs/wire-codecs.md).
   */
  public @NonNull LlmRequestActionBuilder messages(@NonNull List<Map<String, Object>> messages) {
    List<Map<String, Object>> copy = List.copyOf(messages);
    return messages(s -> copy);
  }

  /**
   * @param messages the conversation, expressed as a Gatling Expression Language String naming a
   *     list of role and content maps, e.g. {@code "#{messages}"}
   */
  public @NonNull LlmRequestActionBuilder messages(@NonNull String messages) {
    return messages(SessionValues.messages(messages));
  }

  /** The conversation, computed from the session; null sends the prompt as one user message. */
  public @NonNull LlmRequestActionBuilder messages(@NonNull Function<Session, List<Map<String, Object>>> messages) {
    return with(d -> d.messages = messages);
  }

  /** Asks the server to ignore end-of-sequence, so every request generates {@code maxTokens}. */
  public @NonNull LlmRequestActionBuilder ignoreEos() {
    return with(d -> d.ignoreEos = true);
  }

  /**
   * A body field for this request, after the protocol's. A map merges into an object already
   * there at every depth ({@code body("parameters", Map.of("temperature", 0))} keeps TGI's own
   * parameters); other values replace. The fields the suite needs to measure ({@code stream},
   * {@code stream_options.include_usage}, TGI's {@code details}) and those its builder methods set
   * ({@code model}, the prompt, the output bound) are refused before load, in one line saying why.
   */
  public @NonNull LlmRequestActionBuilder body(@NonNull String field, @Nullable Object value) {
    return body(BodyField.fixed(field, value));
  }

  /**
   * @param value the field's value, expressed as a Gatling Expression Language String; {@code
   *     "#{temperature}"} alone keeps the attribute's type (a number stays a number)
   */
  public @NonNull LlmRequestActionBuilder body(@NonNull String field, @NonNull String value) {
    return body(BodyField.expression(field, value));
  }

  /** A body field for this request, its value computed from the session. */
  public @NonNull LlmRequestActionBuilder body(@NonNull String field, @NonNull Function<Session, ?> value) {
    return body(BodyField.computed(field, value));
  }

  private LlmRequestActionBuilder body(BodyField f) {
    return with(d -> d.body = LlmRequest.append(d.body, List.of(f)));
  }

  /**
   * An extra header for this request, after the protocol's.
   *
   * @param value the header value, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder header(@NonNull String name, @NonNull String value) {
    return header(name, RequestAssembly.headerValue(value));
  }

  /** An extra header for this request, its value computed from the session. */
  public @NonNull LlmRequestActionBuilder header(@NonNull String name, @NonNull Function<Session, String> value) {
    var h = RequestAssembly.header(name, value);
    return with(d -> d.headers = LlmRequest.append(d.headers, List.of(h)));
  }

  /** Streaming checks, evaluated when the stream ends. */
  public @NonNull LlmRequestActionBuilder check(@NonNull LlmCheck<?>... checks) {
    return check(Arrays.asList(checks));
  }

  /** Streaming checks, evaluated when the stream ends. */
  public @NonNull LlmRequestActionBuilder check(@NonNull List<LlmCheck<?>> checks) {
    return with(d -> d.checks = LlmRequest.append(d.checks, checks));
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    LlmRequest request = wrapped;
    return new io.gatling.core.action.builder.ActionBuilder() {
      @Override
      public Action build(ScenarioContext ctx, Action next) {
        LlmProtocol.Components components = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
        RequestAssembly.checkBeforeLoad(request, components.config);
        return new LlmAction(request, components, ctx, next);
      }
    };
  }
}
