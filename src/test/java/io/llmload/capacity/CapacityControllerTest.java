package io.llmload.capacity;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.record.Epoch;
import io.llmload.record.RequestRecord;
import io.llmload.record.RunContext;
import io.llmload.record.RunRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller against a synthetic server whose answer is known by construction: every request
 * at load L has TPOT = bound × margin(L), so the capacity is where margin(L) reaches 1, computed
 * here apart from the search. Short probes (a fraction of a second) keep it in-process and quick.
 */
class CapacityControllerTest {
  static final double BOUND = 100;

  /** A server: 300 records a second at the current load, with the given margin; the backlog as told. */
  static final class FakeServer implements LoadKnob {
    final DoubleUnaryOperator margin;
    final DoubleUnaryOperator backlogPerS;
    volatile double level;
    volatile long setAtUs;
    volatile CapacityController controller;
    final AtomicBoolean stopped = new AtomicBoolean();
    long started;
    /** Probes so far (calls to set), and one probe during which every request is slower by a factor. */
    volatile int probes;
    int slowProbe = -1;
    double slowBy = 1;

    FakeServer(DoubleUnaryOperator margin, DoubleUnaryOperator backlogPerS) {
      this.margin = margin;
      this.backlogPerS = backlogPerS;
    }

    void run() {
      Thread t = new Thread(() -> {
        while (!stopped.get()) {
          RequestRecord r = new RequestRecord();
          r.status = "ok";
          r.scheduledEpochUs = Epoch.nowUs();
          r.ttftFromScheduledMs = 10.0;
          r.tpotMs = BOUND * margin.applyAsDouble(level) * (probes == slowProbe ? slowBy : 1);
          r.outputTokens = 16L;
          started++;
          controller.record(r);
          try {
            Thread.sleep(3);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void set(double l) {
      level = l;
      setAtUs = Epoch.nowUs();
      probes++;
    }

    @Override
    public int inFlight() {
      return 5 + (int) (backlogPerS.applyAsDouble(level) * (Epoch.nowUs() - setAtUs) / 1e6);
    }

    @Override
    public long started() {
      return started;
    }

    @Override
    public void stop() {
      stopped.set(true);
    }
  }

  static SearchSpec spec(boolean rate, double min, double max) {
    return new SearchSpec(rate, min, max, 0.1, Duration.ofSeconds(40), Duration.ofMillis(50), Duration.ofMillis(600),
        Duration.ofMillis(1200), Duration.ofMillis(200), 20, new SearchSpec.Slo(null, BOUND, null, 0.95));
  }

  static CapacityResult search(SearchSpec spec, FakeServer server, Path dir) throws Exception {
    RunRecorder rec = new RunRecorder(dir, "capacity-test");
    try {
      RunContext run = new RunContext(rec);
      run.anchor(Epoch.nowUs());
      CapacityController c = new CapacityController(spec, server, run, r -> {});
      server.controller = c;
      server.run();
      c.start();
      CapacityResult r = c.await(60_000);
      assertNotNull(r, "the search ended");
      assertTrue(server.stopped.get(), "the load was stopped at the end");
      assertEquals(r.probes().size(), run.phases().size(), "one phase per probe");
      return r;
    } finally {
      rec.close();
    }
  }

  /** margin(L) = 0.3 + 0.7 L / 40.5: 1 at 40.5 users, so the capacity is 40. */
  static double margin(double l) {
    return 0.3 + 0.7 * l / 40.5;
  }

  @Test
  void findsAKnownCapacityWithinThePrecisionInAFewProbes(@TempDir Path dir) throws Exception {
    CapacityResult r = search(spec(false, 1, 256), new FakeServer(CapacityControllerTest::margin, l -> 0), dir);
    assertEquals(CapacityResult.CONVERGED, r.outcome(), r.line());
    double expected = 40; // the highest whole load with margin(L) <= 1, from the formula above
    assertTrue(r.answer() <= expected && r.answer() >= expected / 1.1, r.line());
    assertTrue(r.fail().load() <= r.answer() * 1.1 || r.fail().load() - r.answer() <= 1, r.line());
    assertTrue(r.probes().size() <= 7, "placed from the margins, not by doubling: " + r.line());
    Probe first = r.probes().get(0);
    assertTrue(first.pass() && first.early(), "a probe far below capacity stops early: " + first);
  }

  /**
   * The server is 50 % slower during the third probe only (as the embedded emulator was, once, while
   * the JIT compiled its hot paths): that probe (24 users, margin 0.71 × 1.5) fails although the
   * capacity is 40. Its failure came before the passes below it, so it is measured again before the
   * search ends, passes, and the search goes on to 40; the first verdict is marked superseded.
   */
  @Test
  void aFailureMeasuredBeforeThePassBelowItIsMeasuredAgain(@TempDir Path dir) throws Exception {
    FakeServer server = new FakeServer(CapacityControllerTest::margin, l -> 0);
    server.slowProbe = 3;
    server.slowBy = 1.5;
    CapacityResult r = search(spec(false, 1, 256), server, dir);
    Probe third = r.probes().get(2);
    assertFalse(third.pass(), "the slowed probe failed: " + third);
    assertEquals(CapacityResult.CONVERGED, r.outcome(), r.line());
    assertTrue(r.answer() <= 40 && r.answer() >= 40 / 1.1, "the capacity is 40 by construction: " + r.line());
    Probe again = r.probes().stream().filter(p -> p.index() > 3 && p.load() == third.load()).findFirst().orElseThrow();
    assertTrue(again.pass() && again.reason().startsWith("measured again"), again.toString());
    @SuppressWarnings("unchecked")
    var listed = (java.util.List<java.util.Map<String, Object>>) r.toMap().get("probes");
    assertEquals(true, listed.get(2).get("superseded"));
    assertEquals(false, listed.get(again.index() - 1).get("superseded"));
  }

  /**
   * Without a transient, a load is measured twice only when its first verdict was a failure that
   * came before a pass below it, and once at most (the closing failure).
   */
  @Test
  void onlyAFailureMeasuredBeforeAPassBelowItIsMeasuredAgain(@TempDir Path dir) throws Exception {
    CapacityResult r = search(spec(false, 1, 256), new FakeServer(CapacityControllerTest::margin, l -> 0), dir);
    @SuppressWarnings("unchecked")
    var listed = (java.util.List<java.util.Map<String, Object>>) r.toMap().get("probes");
    int again = 0;
    for (Probe p : r.probes()) {
      if (!Boolean.TRUE.equals(listed.get(p.index() - 1).get("superseded"))) continue;
      again++;
      assertFalse(p.pass(), "only failures are measured again: " + p);
      assertTrue(r.probes().stream().anyMatch(q -> q.pass() && q.index() > p.index() && q.load() < p.load()),
          "measured again only after a pass below it: " + r.line());
    }
    assertTrue(again <= 1, r.line());
    assertEquals(r.probes().size() - again, r.probes().stream().mapToDouble(Probe::load).distinct().count(), r.line());
  }

  @Test
  void saysAboveMaxWhenMaxPasses(@TempDir Path dir) throws Exception {
    CapacityResult r = search(spec(false, 1, 20), new FakeServer(CapacityControllerTest::margin, l -> 0), dir);
    assertEquals(CapacityResult.ABOVE_MAX, r.outcome(), r.line());
    assertEquals(20, r.answer());
    assertNull(r.fail());
  }

  @Test
  void saysNotConvergedWithTheBracketItHasWhenTheBudgetRunsOut(@TempDir Path dir) throws Exception {
    SearchSpec full = spec(false, 1, 256);
    SearchSpec tight = new SearchSpec(false, 1, 256, 0.01, Duration.ofMillis(1000), full.warmup(), full.window(),
        full.maxWindow(), full.minWindow(), full.minSamples(), full.slo());
    CapacityResult r = search(tight, new FakeServer(CapacityControllerTest::margin, l -> 0), dir);
    assertEquals(CapacityResult.NOT_CONVERGED, r.outcome(), r.line());
    assertTrue(r.seconds() < 2, "no probe started that could not end within the budget: " + r.line());
    assertNotNull(r.pass(), r.line());
  }

  @Test
  void saysBelowMinWhenMinFails(@TempDir Path dir) throws Exception {
    CapacityResult r = search(spec(false, 50, 100), new FakeServer(CapacityControllerTest::margin, l -> 0), dir);
    assertEquals(CapacityResult.BELOW_MIN, r.outcome(), r.line());
    assertNull(r.answer());
    assertEquals(1, r.probes().size(), r.line());
  }

  @Test
  void aRateSearchFailsOverCapacityProbesByTheirBacklog(@TempDir Path dir) throws Exception {
    // latency always fine; above 12 req/s the queue grows by 20 a second: only the guard can see it
    FakeServer s = new FakeServer(l -> 0.5, l -> l > 12 ? 20 : 0);
    CapacityResult r = search(spec(true, 1, 100), s, dir);
    assertEquals(CapacityResult.CONVERGED, r.outcome(), r.line());
    assertTrue(r.answer() <= 12 && r.answer() >= 12 / 1.1, r.line());
    Probe over = r.fail();
    assertTrue(over.reason().contains("backlog grew") || over.reason().contains("over-saturated"), over.reason());
  }

  /**
   * A server where one request in five is slow: it misses the TPOT bound and ends 400 ms after it
   * was sent; the others meet it at once. Attainment is 80 % at every load, so even min fails; but
   * a verdict taken 200 ms into the window, from the requests that have ended, sees only the fast
   * ones (100 %) and would pass.
   */
  static final class SlowTailServer implements LoadKnob {
    final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    final AtomicLong started = new AtomicLong();
    final AtomicLong ended = new AtomicLong();
    final AtomicBoolean stopped = new AtomicBoolean();
    volatile CapacityController controller;

    void run() {
      Thread t = new Thread(() -> {
        while (!stopped.get()) {
          long i = started.incrementAndGet();
          RequestRecord r = new RequestRecord();
          r.status = "ok";
          r.scheduledEpochUs = Epoch.nowUs();
          r.ttftFromScheduledMs = 10.0;
          r.outputTokens = 16L;
          boolean slow = i % 5 == 0;
          r.tpotMs = slow ? 2 * BOUND : 0.3 * BOUND;
          later.schedule(() -> {
            ended.incrementAndGet();
            controller.record(r);
          }, slow ? 400 : 0, TimeUnit.MILLISECONDS);
          try {
            Thread.sleep(3);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void set(double l) {}

    @Override
    public int inFlight() {
      return (int) (started.get() - ended.get());
    }

    @Override
    public long started() {
      return started.get();
    }

    @Override
    public void stop() {
      stopped.set(true);
      later.shutdown();
    }
  }

  @Test
  void theRequestsStillOutAtAVerdictAreWaitedForNotIgnored(@TempDir Path dir) throws Exception {
    SlowTailServer server = new SlowTailServer();
    RunRecorder rec = new RunRecorder(dir, "capacity-test");
    try {
      RunContext run = new RunContext(rec);
      run.anchor(Epoch.nowUs());
      CapacityController c = new CapacityController(spec(false, 1, 2), server, run, r -> {});
      server.controller = c;
      server.run();
      c.start();
      CapacityResult r = c.await(60_000);
      assertNotNull(r, "the search ended");
      assertEquals(CapacityResult.BELOW_MIN, r.outcome(), "80 % attainment fails 95 %: " + r.line());
      Probe p = r.probes().get(0);
      assertTrue(p.n() >= 20, "the window's requests were judged: " + p);
      double attained = (double) p.good() / p.n();
      assertEquals(0.8, attained, 0.05, "the slow fifth counted: " + p);
    } finally {
      rec.close();
    }
  }
}
