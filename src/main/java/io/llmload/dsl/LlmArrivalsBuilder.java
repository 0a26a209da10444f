package io.llmload.dsl;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.llmload.load.ArrivalSchedule;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * An open-model load: requests sent to a computed schedule, each without waiting for the others.
 * Immutable, so all methods return a new occurrence and leave the original unmodified.
 *
 * <pre>{@code
 * scenario("chat").exec(arrivals(() -> ArrivalSchedule.poisson(200, Duration.ofSeconds(60), 1))
 *     .feed(workload::feeder).maxConcurrency(500).send(llm("chat").prompt("#{prompt}")));
 * }</pre>
 */
public final class LlmArrivalsBuilder {
  private final Supplier<ArrivalSchedule> schedule;
  private final @Nullable Supplier<Iterator<Map<String, Object>>> feeder;
  private final int maxConcurrency;

  LlmArrivalsBuilder(
      Supplier<ArrivalSchedule> schedule, @Nullable Supplier<Iterator<Map<String, Object>>> feeder, int maxConcurrency) {
    this.schedule = schedule;
    this.feeder = feeder;
    this.maxConcurrency = maxConcurrency;
  }

  /** Session attributes for each request, one feeder record per arrival (a finite feeder ends the schedule). */
  public @NonNull LlmArrivalsBuilder feed(@NonNull Supplier<Iterator<Map<String, Object>>> feeder) {
    return new LlmArrivalsBuilder(schedule, feeder, maxConcurrency);
  }

  /** At most this many streams in flight; later arrivals wait, and their wait counts as queue delay. */
  public @NonNull LlmArrivalsBuilder maxConcurrency(int max) {
    if (max < 1) throw new IllegalArgumentException("maxConcurrency: " + max + " is out of range; allowed: >= 1");
    return new LlmArrivalsBuilder(schedule, feeder, max);
  }

  /**
   * @param request the request each arrival sends
   * @return an action for {@code exec(...)}
   */
  public @NonNull ActionBuilder send(@NonNull LlmRequestActionBuilder request) {
    Supplier<ArrivalSchedule> s = schedule;
    Supplier<Iterator<Map<String, Object>>> f = feeder;
    int cap = maxConcurrency;
    return () ->
        new io.gatling.core.action.builder.ActionBuilder() {
          @Override
          public Action build(ScenarioContext ctx, Action next) {
            LlmAction inner = (LlmAction) request.asScala().build(ctx, next);
            inner.rowsFromScheduled();
            return new ArrivalsAction(s, f, cap, inner, ctx.coreComponents().eventLoopGroup(), next);
          }
        };
  }
}
