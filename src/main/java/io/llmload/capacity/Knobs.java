package io.llmload.capacity;

import io.llmload.load.ArrivalSchedule;
import io.llmload.load.UserGate;
import io.llmload.record.RequestRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The two loads a search turns: a closed model's gate, an open model's rate. */
public final class Knobs {
  private Knobs() {}

  /** Concurrency search: the level is the gate's width. */
  public static LoadKnob users(UserGate gate) {
    return new LoadKnob() {
      private volatile Duration over = Duration.ZERO;

      @Override
      public void spread(Duration d) {
        over = d;
      }

      @Override
      public void set(double level) {
        gate.width((int) Math.round(level), over);
      }

      @Override
      public int inFlight() {
        return gate.inFlight();
      }

      @Override
      public long started() {
        return gate.started();
      }

      @Override
      public void stop() {
        gate.stop();
      }
    };
  }

  /**
   * Rate search: the level is the arrival rate of the open model's own pacer
   * ({@link ArrivalSchedule#variable}); the backlog is arrivals sent minus records ended.
   * Hand it every record ({@link #ended}) and let it select the arrivals ({@link #admit}).
   */
  public static final class Rate implements LoadKnob {
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private volatile double rate;
    private volatile boolean stopped;
    private volatile boolean held;

    /** @param initial the rate until the search sets one (its first probe's) */
    public Rate(double initial) {
      rate = initial;
    }

    /** The schedule for the arrivals builder: ends when the search stops, or after {@code longest}. */
    public ArrivalSchedule schedule(Duration longest) {
      ArrivalSchedule inner = ArrivalSchedule.variable(() -> rate, longest);
      return new ArrivalSchedule() {
        @Override
        public long nextOffsetNanos() {
          return stopped ? -1 : inner.nextOffsetNanos();
        }

        @Override
        public double requestedRate() {
          return rate;
        }
      };
    }

    /** For the arrivals' {@code select}: whether arrival {@code index} is sent (not while held); counts those sent. */
    public boolean admit(long index) {
      if (held) return false;
      scheduled.incrementAndGet();
      return true;
    }

    @Override
    public void hold(boolean on) {
      held = on;
    }

    public void ended(RequestRecord r) {
      ended.incrementAndGet();
    }

    @Override
    public void set(double level) {
      rate = level;
    }

    @Override
    public int inFlight() {
      return (int) Math.max(0, scheduled.get() - ended.get());
    }

    @Override
    public long started() {
      return scheduled.get();
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }
}
