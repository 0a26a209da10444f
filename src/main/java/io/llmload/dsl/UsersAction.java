package io.llmload.dsl;

import io.gatling.core.session.Session;
import io.llmload.load.UserGate;
import io.netty.channel.EventLoop;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A closed model behind a gate of changing width: as many users as the gate allows run the chain
 * back to back, each request a Gatling user of its own (started when a slot frees, so no think
 * time), and widening the gate starts users at once. The pacing user goes on when the gate is
 * stopped and every user ended. Users are started by the same machinery as the open model's
 * arrivals ({@link ArrivalsAction.ArrivalExit} ends them).
 */
final class UsersAction extends InjectingAction {
  private final UserGate gate;
  private final java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders;

  UsersAction(UserGate gate, java.util.function.@Nullable Supplier<Iterator<Map<String, Object>>> feeders, Wiring w) {
    super("llm-users", w);
    this.gate = gate;
    this.feeders = feeders;
  }

  @Override
  public void execute(Session session) {
    new Run(session, feeders == null ? null : feeders.get()).start();
  }

  /** One pass; users are started from one event loop, the feeder read there only. */
  final class Run implements ArrivalsAction.Ended {
    private final Session base;
    private final @Nullable Iterator<Map<String, Object>> feeder;
    private final EventLoop loop = loops.next();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicLong users = new AtomicLong();
    /** A look during a ramp is scheduled (read and written on the pacing loop only). */
    private boolean tick;

    Run(Session base, @Nullable Iterator<Map<String, Object>> feeder) {
      this.base = base;
      this.feeder = feeder;
    }

    void start() {
      loop.execute(() -> {
        if (run != null) run.anchor(EpochClock.epochUs(System.nanoTime()));
        gate.onChange(() -> loop.execute(this::topUp));
        topUp();
      });
    }

    private void topUp() {
      io.llmload.record.RunContext ctx = run;
      if (loop.isShuttingDown() || (ctx != null && ctx.isOver())) gate.stop();
      while (gate.tryTake()) {
        if (feeder != null && !feeder.hasNext()) {
          gate.release();
          gate.stop(); // a finite workload ran out
          break;
        }
        addUser(feeder == null ? null : feeder.next());
      }
      // a widening spread over time: look again shortly
      if (gate.ramping() && !tick) {
        tick = true;
        loop.schedule(() -> {
          tick = false;
          topUp();
        }, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      maybeFinish();
    }

    private void addUser(@Nullable Map<String, Object> fed) {
      Session s = base;
      if (fed != null) s = new io.gatling.javaapi.core.Session(s).setAll(fed).asScala();
      startUser(newUser(s.set(ArrivalsAction.RUN_KEY, this), users.incrementAndGet()));
    }

    @Override
    public void ended() {
      gate.release();
      // topped up from the pacing loop: a chain of users ending at once cannot grow a stack
      loop.execute(this::topUp);
    }

    private void maybeFinish() {
      if (gate.finished() && finished.compareAndSet(false, true)) next.$bang(base);
    }
  }
}
