package io.llmload.dsl;

import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.llmload.load.ArrivalSchedule;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * An open-model load: arrivals on a computed schedule, each a Gatling user of its own that runs
 * the arrival chain without waiting for the others. Immutable, so all methods return a new
 * occurrence and leave the original unmodified.
 *
 * <pre>{@code
 * scenario("chat").exec(arrivals(() -> ArrivalSchedule.poisson(200, Duration.ofSeconds(60), 1))
 *     .feed(workload::feeder).maxConcurrency(500).send(llm("chat").prompt("#{prompt}")));
 * // several steps per arrival:
 * arrivals(schedule).exec(exec(llm("ask")...).pause(Duration.ofSeconds(2)).exec(llm("follow-up")...))
 * }</pre>
 */
public final class LlmArrivalsBuilder {
  /** Session attribute: the arrival's index in the schedule (0, 1, ...), the same on every generator. */
  public static final String ARRIVAL_INDEX = "llmload.arrival";

  private final Supplier<ArrivalSchedule> schedule;
  private final @Nullable Supplier<Iterator<Map<String, Object>>> feeder;
  private final int maxConcurrency;
  private final @Nullable LongPredicate select;

  LlmArrivalsBuilder(
      Supplier<ArrivalSchedule> schedule, @Nullable Supplier<Iterator<Map<String, Object>>> feeder, int maxConcurrency) {
    this(schedule, feeder, maxConcurrency, null);
  }

  private LlmArrivalsBuilder(
      Supplier<ArrivalSchedule> schedule,
      @Nullable Supplier<Iterator<Map<String, Object>>> feeder,
      int maxConcurrency,
      @Nullable LongPredicate select) {
    this.schedule = schedule;
    this.feeder = feeder;
    this.maxConcurrency = maxConcurrency;
    this.select = select;
  }

  /** Session attributes for each arrival, one feeder record per arrival (a finite feeder ends the schedule). */
  public @NonNull LlmArrivalsBuilder feed(@NonNull Supplier<Iterator<Map<String, Object>>> feeder) {
    return new LlmArrivalsBuilder(schedule, feeder, maxConcurrency, select);
  }

  /** At most this many arrivals in flight; later arrivals wait in order, and their wait counts as queue delay. */
  public @NonNull LlmArrivalsBuilder maxConcurrency(int max) {
    if (max < 1) throw new IllegalArgumentException("maxConcurrency: " + max + " is out of range; allowed: >= 1");
    return new LlmArrivalsBuilder(schedule, feeder, max, select);
  }

  /**
   * Only the arrivals whose index passes {@code which} are sent (e.g. {@code i -> i % n == k} for
   * shard k of n generators running the same seeded schedule); the others still draw their
   * feeder record, so arrival i carries the same record on every generator.
   */
  public @NonNull LlmArrivalsBuilder select(@NonNull LongPredicate which) {
    return new LlmArrivalsBuilder(schedule, feeder, maxConcurrency, which);
  }

  /**
   * @param request the request each arrival sends
   * @return an action for {@code exec(...)}
   */
  public @NonNull ActionBuilder send(@NonNull LlmRequestActionBuilder request) {
    return exec(CoreDsl.exec(request));
  }

  /**
   * @param chain what each arrival does, as its own Gatling user: requests, pauses, loops, checks;
   *     its first {@code llm(...)} is measured from the arrival's scheduled instant
   * @return an action for {@code exec(...)}
   */
  public @NonNull ActionBuilder exec(@NonNull ChainBuilder chain) {
    Supplier<ArrivalSchedule> s = schedule;
    Supplier<Iterator<Map<String, Object>>> f = feeder;
    int cap = maxConcurrency;
    LongPredicate sel = select;
    io.gatling.core.structure.ChainBuilder steps = chain.wrapped;
    // exitHere and exitHereIfFailed inside the chain end the arrival, not a Gatling user
    return InjectingAction.builder(steps, w -> new ArrivalsAction(s, f, cap, sel, w));
  }
}
