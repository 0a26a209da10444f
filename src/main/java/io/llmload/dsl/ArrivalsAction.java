package io.llmload.dsl;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.llmload.load.ArrivalSchedule;
import io.llmload.load.ConcurrencyCap;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The open model: one virtual user paces requests to a computed schedule and does not wait for
 * them, so a slow server cannot slow the arrivals (no coordinated omission). Each request knows
 * the instant it was meant to go; with a concurrency cap, requests over the cap wait in order and
 * their wait shows as queue delay. The action ends when the schedule is over and every stream ended.
 */
final class ArrivalsAction implements Action {
  private static final com.typesafe.scalalogging.Logger LOGGER =
      com.typesafe.scalalogging.Logger.apply(LoggerFactory.getLogger(ArrivalsAction.class));
  /** Arrivals this close are sent in the same pass: a timer cannot do better. */
  private static final long BATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private final java.util.function.Supplier<ArrivalSchedule> schedules;
  private final java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders;
  private final int maxConcurrency;
  private final LlmAction request;
  private final EventLoopGroup loops;
  private final Action next;

  ArrivalsAction(
      java.util.function.Supplier<ArrivalSchedule> schedules,
      java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders,
      int maxConcurrency,
      LlmAction request,
      EventLoopGroup loops,
      Action next) {
    this.schedules = schedules;
    this.feeders = feeders;
    this.maxConcurrency = maxConcurrency;
    this.request = request;
    this.loops = loops;
    this.next = next;
  }

  @Override
  public String name() {
    return "llm-arrivals";
  }

  @Override
  public com.typesafe.scalalogging.Logger logger() {
    return LOGGER;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {}

  @Override
  public void execute(Session session) {
    new Run(session, schedules.get(), feeders == null ? null : feeders.get()).start();
  }

  private record Pending(Session session, long scheduledNanos) {}

  /** One pass over the schedule; the pacer runs on one event loop. */
  private final class Run {
    private final Session base;
    private final ArrivalSchedule schedule;
    private final @Nullable Iterator<Map<String, Object>> feeder;
    private final EventLoop pacer = loops.next();
    /** In flight without a cap; with one, the cap counts. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final @Nullable ConcurrencyCap<Pending> cap =
        maxConcurrency > 0 ? new ConcurrencyCap<>(maxConcurrency) : null;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicLong users = new AtomicLong();
    private volatile boolean scheduleOver;
    private long startNanos;
    private long nextOffset;

    Run(Session base, ArrivalSchedule schedule, @Nullable Iterator<Map<String, Object>> feeder) {
      this.base = base;
      this.schedule = schedule;
      this.feeder = feeder;
    }

    void start() {
      pacer.execute(
          () -> {
            startNanos = System.nanoTime();
            io.llmload.record.RunContext ctx = io.llmload.record.RunContext.current();
            if (ctx != null) ctx.anchor(EpochClock.epochUs(startNanos));
            nextOffset = schedule.nextOffsetNanos();
            pump();
          });
    }

    private void pump() {
      long now = System.nanoTime();
      while (nextOffset >= 0 && startNanos + nextOffset <= now + BATCH_NANOS) {
        Session s = sessionFor(startNanos + nextOffset);
        if (s == null) {
          nextOffset = -1; // a finite workload ran out
          break;
        }
        arrive(s, startNanos + nextOffset);
        nextOffset = schedule.nextOffsetNanos();
      }
      if (nextOffset < 0) {
        scheduleOver = true;
        maybeFinish();
        return;
      }
      pacer.schedule(this::pump, startNanos + nextOffset - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private @Nullable Session sessionFor(long scheduledNanos) {
      Session s = base;
      if (feeder != null) {
        if (!feeder.hasNext()) return null;
        s = new io.gatling.javaapi.core.Session(s).setAll(feeder.next()).asScala();
      }
      EventLoop loop = loops.next();
      long user = users.incrementAndGet();
      return s.copy(s.scenario(), user, s.attributes(), s.baseStatus(), s.blockStack(), s.onExit(), loop);
    }

    private void arrive(Session s, long scheduledNanos) {
      Pending p = new Pending(s, scheduledNanos);
      if (cap == null) {
        inFlight.incrementAndGet();
        fire(p);
      } else if (cap.admit(p)) {
        fire(p);
      }
    }

    private void fire(Pending p) {
      request.submit(p.session(), p.scheduledNanos(), p.session().eventLoop(), (done, ok) -> ended());
    }

    private void ended() {
      if (cap == null) {
        inFlight.decrementAndGet();
      } else {
        Pending next = cap.release();
        if (next != null) {
          // the slot passes to the longest waiting; started from its own loop, so a chain of
          // requests that fail at once cannot grow this stack
          next.session().eventLoop().execute(() -> fire(next));
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
