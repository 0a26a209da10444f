package io.llmload.dsl;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.NonNull;

/**
 * A streaming LLM request, used like {@code http(...).post(...)}. Immutable, so all methods return
 * a new occurrence and leave the original unmodified.
 */
public final class LlmRequestActionBuilder implements ActionBuilder {
  private final LlmRequest wrapped;

  LlmRequestActionBuilder(LlmRequest wrapped) {
    this.wrapped = wrapped;
  }

  private LlmRequestActionBuilder make(java.util.function.UnaryOperator<LlmRequest> f) {
    return new LlmRequestActionBuilder(f.apply(wrapped));
  }

  /** Upper bound on generated tokens. */
  public @NonNull LlmRequestActionBuilder maxTokens(int maxTokens) {
    return maxTokens(s -> maxTokens);
  }

  /**
   * @param maxTokens upper bound on generated tokens, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder maxTokens(@NonNull String maxTokens) {
    Function<Session, Object> f =
        Expressions.expressionToJavaFunction(Expressions.toIntExpression(maxTokens));
    return maxTokens(s -> ((Number) f.apply(s)).intValue());
  }

  /** Upper bound on generated tokens, computed from the session. */
  public @NonNull LlmRequestActionBuilder maxTokens(@NonNull Function<Session, Integer> maxTokens) {
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), maxTokens, r.model(), r.minTokens(), r.ignoreEos(), r.body(), r.headers(), r.checks()));
  }

  /**
   * @param model the model for this request, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder model(@NonNull String model) {
    Function<Session, String> f =
        Expressions.expressionToJavaFunction(Expressions.toStringExpression(model));
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), f, r.minTokens(), r.ignoreEos(), r.body(), r.headers(), r.checks()));
  }

  /** Forces at least this many output tokens where the server allows it ({@code min_tokens}). */
  public @NonNull LlmRequestActionBuilder minTokens(int minTokens) {
    return minTokens(s -> minTokens);
  }

  /** Forces a minimum output length computed from the session (null: none). */
  public @NonNull LlmRequestActionBuilder minTokens(@NonNull Function<Session, Integer> minTokens) {
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), r.model(), minTokens, r.ignoreEos(), r.body(), r.headers(), r.checks()));
  }

  /**
   * A chat history for chat protocols, computed from the session; when it gives null the prompt is
   * sent as a single user message. Text protocols keep sending the prompt.
   */
  public @NonNull LlmRequestActionBuilder messages(@NonNull Function<Session, List<Map<String, Object>>> messages) {
    return make(r -> new LlmRequest(r.name(), r.prompt(), messages, r.maxTokens(), r.model(), r.minTokens(), r.ignoreEos(), r.body(), r.headers(), r.checks()));
  }

  /** Asks the server to ignore end-of-sequence, so every request generates {@code maxTokens}. */
  public @NonNull LlmRequestActionBuilder ignoreEos() {
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), r.model(), r.minTokens(), true, r.body(), r.headers(), r.checks()));
  }

  /** An extra top-level body field for this request. */
  public @NonNull LlmRequestActionBuilder body(@NonNull String field, Object value) {
    Map<String, Object> b = new LinkedHashMap<>(wrapped.body());
    b.put(field, value);
    Map<String, Object> copy = java.util.Collections.unmodifiableMap(b);
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), r.model(), r.minTokens(), r.ignoreEos(), copy, r.headers(), r.checks()));
  }

  /**
   * An extra header for this request.
   *
   * @param value the header value, expressed as a Gatling Expression Language String
   */
  public @NonNull LlmRequestActionBuilder header(@NonNull String name, @NonNull String value) {
    Function<Session, String> f =
        Expressions.expressionToJavaFunction(Expressions.toStringExpression(value));
    List<Map.Entry<String, Function<Session, String>>> h = new ArrayList<>(wrapped.headers());
    h.add(Map.entry(name, f));
    List<Map.Entry<String, Function<Session, String>>> copy = List.copyOf(h);
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), r.model(), r.minTokens(), r.ignoreEos(), r.body(), copy, r.checks()));
  }

  /** Streaming checks, evaluated when the stream ends. */
  public @NonNull LlmRequestActionBuilder check(@NonNull LlmCheck<?>... checks) {
    return check(Arrays.asList(checks));
  }

  /** Streaming checks, evaluated when the stream ends. */
  public @NonNull LlmRequestActionBuilder check(@NonNull List<LlmCheck<?>> checks) {
    List<LlmCheck<?>> all = new ArrayList<>(wrapped.checks());
    all.addAll(checks);
    List<LlmCheck<?>> copy = List.copyOf(all);
    return make(r -> new LlmRequest(r.name(), r.prompt(), r.messages(), r.maxTokens(), r.model(), r.minTokens(), r.ignoreEos(), r.body(), r.headers(), copy));
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    LlmRequest request = wrapped;
    return new io.gatling.core.action.builder.ActionBuilder() {
      @Override
      public Action build(ScenarioContext ctx, Action next) {
        LlmProtocol.Components components = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
        return new LlmAction(request, components, ctx, next);
      }
    };
  }
}
