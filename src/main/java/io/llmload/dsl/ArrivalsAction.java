package io.llmload.dsl;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.llmload.load.ArrivalSchedule;
import io.llmload.load.ConcurrencyCap;
import io.netty.channel.EventLoop;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The open model: one pacing virtual user starts a Gatling user per arrival of a computed schedule
 * and does not wait for them, so a slow server cannot slow the arrivals (no coordinated omission).
 * Each arrival runs the arrival chain (one request, or several steps: pauses, turns, checks) as
 * its own user, counted in Gatling's active-users chart; the first {@code llm(...)} of the chain
 * is measured from the arrival's scheduled instant. With a concurrency cap, arrivals over the cap
 * wait in order and their wait shows as queue delay. The pacing user goes on when the schedule is
 * over and every arrival ended.
 */
final class ArrivalsAction extends InjectingAction {
  private static final com.typesafe.scalalogging.Logger LOGGER =
      com.typesafe.scalalogging.Logger.apply(LoggerFactory.getLogger(ArrivalsAction.class));
  /** Arrivals this close are sent in the same pass: a timer cannot do better. */
  private static final long BATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  /** The arrival's run, for the chain's end. */
  static final String RUN_KEY = "llmload.arrivals.run";

  /** What started a user and learns when it ends: an arrivals run, or a gated users run. */
  interface Ended {
    void ended();
  }

  private final java.util.function.Supplier<ArrivalSchedule> schedules;
  private final java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders;
  private final int maxConcurrency;
  private final @Nullable LongPredicate select;

  ArrivalsAction(
      java.util.function.Supplier<ArrivalSchedule> schedules,
      java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders,
      int maxConcurrency,
      @Nullable LongPredicate select,
      Wiring w) {
    super("llm-arrivals", w);
    this.schedules = schedules;
    this.feeders = feeders;
    this.maxConcurrency = maxConcurrency;
    this.select = select;
  }

  @Override
  public void execute(Session session) {
    new Run(session, schedules.get(), feeders == null ? null : feeders.get()).start();
  }

  /**
   * Where an arrival's chain ends, normally or through {@code exitHere}/{@code exitHereIfFailed}
   * (the chain is built with this as its exit): the arrival's user ends. Gatling's own exit would
   * tell the injector of a user it never started.
   */
  static final class ArrivalExit implements Action {
    private final StatsEngine stats;

    ArrivalExit(StatsEngine stats) {
      this.stats = stats;
    }

    @Override
    public String name() {
      return "llm-arrival-end";
    }

    @Override
    public com.typesafe.scalalogging.Logger logger() {
      return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {}

    @Override
    public void execute(Session session) {
      stats.logUserEnd(session.scenario());
      scala.Option<Object> o = session.attributes().get(RUN_KEY);
      Object run = o.isDefined() ? o.get() : null;
      if (run instanceof Ended r) r.ended();
      else LOGGER.underlying().error("an arrival's user ended without its run (session {})", session.userId());
    }
  }

  /** One pass over the schedule; the pacer runs on one event loop. */
  private final class Run implements Ended {
    private final Session base;
    private final ArrivalSchedule schedule;
    private final @Nullable Iterator<Map<String, Object>> feeder;
    private final EventLoop pacer = loops.next();
    /** In flight without a cap; with one, the cap counts. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final @Nullable ConcurrencyCap<Session> cap =
        maxConcurrency > 0 ? new ConcurrencyCap<>(maxConcurrency) : null;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicLong users = new AtomicLong();
    private volatile boolean scheduleOver;
    private long startNanos;
    private long nextOffset;
    private long index;

    Run(Session base, ArrivalSchedule schedule, @Nullable Iterator<Map<String, Object>> feeder) {
      this.base = base;
      this.schedule = schedule;
      this.feeder = feeder;
    }

    void start() {
      pacer.execute(
          () -> {
            startNanos = System.nanoTime();
            io.llmload.record.RunContext ctx = run;
            if (ctx != null) ctx.anchor(EpochClock.epochUs(startNanos));
            // a common start (sharded run) is the schedule's zero: arrivals due before Gatling was
            // ready go late, and their queue delay says so
            if (ctx != null && ctx.startFixed()) startNanos = EpochClock.nanoTime(ctx.anchorUs());
            nextOffset = schedule.nextOffsetNanos();
            pump();
          });
    }

    private void pump() {
      io.llmload.record.RunContext ctx = run;
      if (pacer.isShuttingDown() || (ctx != null && ctx.isOver())) return; // the simulation ended
      long now = System.nanoTime();
      while (nextOffset >= 0 && startNanos + nextOffset <= now + BATCH_NANOS) {
        long i = index++;
        Map<String, Object> fed = null;
        if (feeder != null) {
          if (!feeder.hasNext()) {
            nextOffset = -1; // a finite workload ran out
            break;
          }
          // fed whether selected or not: arrival i gets the same record on every shard
          fed = feeder.next();
        }
        if (select == null || select.test(i)) arrive(userFor(i, fed, startNanos + nextOffset));
        nextOffset = schedule.nextOffsetNanos();
      }
      if (nextOffset < 0) {
        scheduleOver = true;
        maybeFinish();
        return;
      }
      pacer.schedule(this::pump, startNanos + nextOffset - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private Session userFor(long i, @Nullable Map<String, Object> fed, long scheduledNanos) {
      Session s = base;
      if (fed != null) {
        s = new io.gatling.javaapi.core.Session(s).setAll(fed).asScala();
        s = s.set(WorkloadPosition.KEY, WorkloadPosition.arrival(i)); // arrival i sends record i
      }
      s = s.set(LlmArrivalsBuilder.ARRIVAL_INDEX, i)
          .set(LlmAction.SCHEDULED_KEY, scheduledNanos)
          .set(RUN_KEY, this);
      return newUser(s, users.incrementAndGet());
    }

    private void arrive(Session s) {
      if (cap == null) {
        inFlight.incrementAndGet();
        startUser(s);
      } else if (cap.admit(s)) {
        startUser(s);
      }
    }

    @Override
    public void ended() {
      if (cap == null) {
        inFlight.decrementAndGet();
      } else {
        Session waiting = cap.release();
        if (waiting != null) {
          // the slot passes to the longest waiting arrival; started from its own loop, so a
          // chain of arrivals that end at once cannot grow this stack
          stats.logUserStart(waiting.scenario());
          waiting.eventLoop().execute(() -> entry.$bang(waiting));
          return;
        }
      }
      maybeFinish();
    }

    private void maybeFinish() {
      boolean idle = cap == null ? inFlight.get() == 0 : cap.idle();
      if (scheduleOver && idle && finished.compareAndSet(false, true)) {
        next.$bang(base);
      }
    }
  }
}
