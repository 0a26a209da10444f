package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
import java.util.function.Function;
import org.jspecify.annotations.NonNull;

/**
 * The entry point of the LLM DSL, used beside Gatling's {@code CoreDsl}:
 *
 * <pre>{@code
 * import static io.llmload.dsl.LlmDsl.*;
 *
 * scenario("chat").exec(llm("chat").prompt("#{prompt}").maxTokens(256).check(ttft().lt(2000)));
 * setUp(...).protocols(llm.target("http://gpu-box:8000").model("llama-3.1-8b"));
 * }</pre>
 */
public final class LlmDsl {
  private LlmDsl() {}

  /** The protocol: where the server is, which wire format it speaks, which model. */
  public static final LlmProtocolBuilder llm = LlmProtocolBuilder.DEFAULT;

  /**
   * @param name the request's name in reports, expressed as a Gatling Expression Language String
   * @return the next DSL step
   */
  public static @NonNull Llm llm(@NonNull String name) {
    return new Llm(Expressions.expressionToJavaFunction(Expressions.toStringExpression(name)));
  }

  /**
   * @param name the request's name in reports, computed from the session
   * @return the next DSL step
   */
  public static @NonNull Llm llm(@NonNull Function<Session, String> name) {
    return new Llm(name);
  }

  /**
   * An open-model load: requests sent to a schedule (constant, Poisson, ramp, trace), none waiting
   * for another.
   */
  public static @NonNull LlmArrivalsBuilder arrivals(
      java.util.function.@NonNull Supplier<io.llmload.load.ArrivalSchedule> schedule) {
    return new LlmArrivalsBuilder(schedule, null, 0);
  }

  /**
   * A closed-model load behind a gate whose width may change while the run goes on (a capacity
   * search turns it): as many requests in flight as the gate allows, each started when one ends.
   */
  public static @NonNull LlmUsersBuilder users(io.llmload.load.@NonNull UserGate gate) {
    return new LlmUsersBuilder(gate, null);
  }

  /** Time to first byte of the body, ms. */
  public static @NonNull LlmCheck<Double> ttfb() {
    return new LlmCheck<>("ttfb", LlmResult::ttfbMs, false);
  }

  /** Time to first output token (content, reasoning, refusal or tool call), ms. */
  public static @NonNull LlmCheck<Double> ttft() {
    return new LlmCheck<>("ttft", LlmResult::ttftMs, false);
  }

  /** Time to first non-reasoning output, ms. */
  public static @NonNull LlmCheck<Double> ttfo() {
    return new LlmCheck<>("ttfo", LlmResult::ttfoMs, false);
  }

  /** End-to-end time of the stream, ms. */
  public static @NonNull LlmCheck<Double> e2e() {
    return new LlmCheck<>("e2e", LlmResult::e2eMs, false);
  }

  /** Time per output token after the first, ms. */
  public static @NonNull LlmCheck<Double> tpot() {
    return new LlmCheck<>("tpot", LlmResult::tpotMs, false);
  }

  /** Output tokens per second of the whole request (output tokens / E2E). */
  public static @NonNull LlmCheck<Double> tokensPerSecond() {
    return new LlmCheck<>("tokensPerSecond", LlmResult::tokensPerSecond, false);
  }

  /** Output tokens (the server's count where it gives one). */
  public static @NonNull LlmCheck<Long> outputTokens() {
    return new LlmCheck<>("outputTokens", LlmResult::outputTokens, false);
  }

  /** Prompt tokens as the server counted them (absent where the server gives no count). */
  public static @NonNull LlmCheck<Long> promptTokens() {
    return new LlmCheck<>("promptTokens", LlmResult::promptTokens, false);
  }

  /** The finish reason the server gave ({@code stop}, {@code length}, ...). */
  public static @NonNull LlmCheck<String> finishReason() {
    return new LlmCheck<>("finishReason", LlmResult::finishReason, false);
  }

  /** The generated content text (captured only for requests that check it). */
  public static @NonNull LlmCheck<String> content() {
    return new LlmCheck<>("content", LlmResult::content, true);
  }
}
