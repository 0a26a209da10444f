package io.llmload.capacity;

import io.llmload.record.Epoch;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import io.llmload.record.RunContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a capacity search inside one run: probe after probe, each a phase of the run with its own
 * warm-up, the load set through a {@link LoadKnob}, each judged live from the request records as
 * they end ({@link ProbeVerdict}), the next placed from what was measured ({@link Placement}). A
 * probe's warm-up also waits for the requests of earlier probes to end (a failing probe's backlog
 * is drained before the next window opens). Runs on its own thread from the first injection.
 */
public final class CapacityController {
  private static final long TICK_MS = 200;
  /** A phase still running ends "never" until the controller ends it. */
  private static final long OPEN_END = Long.MAX_VALUE / 4;

  private final SearchSpec spec;
  private final LoadKnob knob;
  private final RunContext run;
  private final Consumer<CapacityResult> onResult;
  private final ProbeVerdict verdict;
  private final Placement placement;
  private final List<Probe> probes = new ArrayList<>();
  private final List<Phase> plan = new ArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile @Nullable CapacityResult result;
  // the probe whose window is open, and the records of earlier probes still out
  private volatile @Nullable ProbeStats open;
  private volatile long openFromUs = Long.MAX_VALUE;
  private volatile long openUntilUs = Long.MAX_VALUE;
  private long recorded;
  private long boundaryUs = Long.MAX_VALUE;
  private long endedBeforeBoundary;
  private long lastE2eUs;

  public CapacityController(SearchSpec spec, LoadKnob knob, RunContext run, Consumer<CapacityResult> onResult) {
    this.spec = spec;
    this.knob = knob;
    this.run = run;
    this.onResult = onResult;
    this.verdict = new ProbeVerdict(spec);
    this.placement = new Placement(spec);
  }

  /** Hand every record here (the recorder's tap). */
  public void record(RequestRecord r) {
    long at = r.scheduledEpochUs != 0 ? r.scheduledEpochUs : r.startEpochUs;
    synchronized (this) {
      recorded++;
      if (at < boundaryUs) endedBeforeBoundary++;
    }
    ProbeStats s = open;
    if (s != null && at >= openFromUs && at < openUntilUs) s.add(r);
  }

  /** Starts the search on its own thread; it waits for the run's first injection. */
  public void start() {
    Thread t = new Thread(this::runSafely, "llm-capacity-search");
    t.setDaemon(true);
    t.start();
  }

  /** Waits for the result (tests); null when it did not come in time. */
  public @Nullable CapacityResult await(long timeoutMs) throws InterruptedException {
    done.await(timeoutMs, TimeUnit.MILLISECONDS);
    return result;
  }

  public @Nullable CapacityResult result() {
    return result;
  }

  private void runSafely() {
    try {
      search();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      knob.stop();
      done.countDown();
    }
  }

  private void search() throws InterruptedException {
    while (run.anchorUs() == 0) {
      if (run.isOver()) return;
      Thread.sleep(10);
    }
    long t0 = Epoch.nowUs();
    double budget = spec.budget().toNanos() / 1e3;
    Double next = placement.next(probes);
    while (next != null) {
      double used = Epoch.nowUs() - t0;
      // a probe needs its warm-up and its shortest window: none is started that cannot end in time
      if (used + (spec.warmup().toNanos() + spec.minWindow().toNanos()) / 1e3 > budget) break;
      Probe p = probe(probes.size() + 1, next, t0 + (long) budget);
      if (p == null) break;
      probes.add(p);
      next = placement.next(probes);
    }
    long end = Epoch.nowUs();
    closePhase(end);
    CapacityResult r = CapacityResult.of(probes, spec, (end - t0) / 1e6);
    result = r;
    onResult.accept(r);
  }

  /** One probe; null when the run ended under it. */
  private @Nullable Probe probe(int index, double load, long deadlineUs) throws InterruptedException {
    String name = String.format("p%02d-%s%s", index, spec.rate() ? "r" : "c", spec.show(load));
    long startUs = Epoch.nowUs();
    long outBefore;
    synchronized (this) {
      outBefore = recorded;
      boundaryUs = startUs;
      endedBeforeBoundary = recorded;
    }
    long startedBefore = knob.started();
    closePhase(startUs);
    plan.add(new Phase(name, load, startUs - run.anchorUs(), OPEN_END, OPEN_END));
    run.plan(plan);
    // new users of a closed model start spread over one cycle (the last probe's mean E2E), so
    // they do not run in step; the window opens after the spread
    long spreadUs = spec.rate() ? 0 : Math.min(lastE2eUs, spec.maxWindow().toNanos() / 1000);
    knob.spread(java.time.Duration.ofNanos(spreadUs * 1000));
    knob.set(load);
    long drainLimit = startUs + (spec.warmup().toNanos() + spec.maxWindow().toNanos()) / 1000;
    long warmEnd = startUs + Math.max(spec.warmup().toNanos() / 1000, spreadUs);
    if (spec.rate() && !drained(outBefore, startedBefore)) {
      // an open model's arrivals would queue behind the backlog and be judged by it: hold them
      // until it has drained, then warm up
      knob.hold(true);
      while (!drained(outBefore, startedBefore) && Epoch.nowUs() < drainLimit) {
        if (run.isOver()) return null;
        Thread.sleep(TICK_MS / 4);
      }
      knob.hold(false);
      warmEnd = Epoch.nowUs() + spec.warmup().toNanos() / 1000;
    }
    // warm-up: its own length, and until what earlier probes sent has ended (at most the longest window)
    while (true) {
      if (run.isOver()) return null;
      long now = Epoch.nowUs();
      if (now >= warmEnd && (drained(outBefore, startedBefore) || now >= drainLimit)) break;
      Thread.sleep(Math.min(TICK_MS, Math.max(1, (warmEnd - now) / 1000)));
    }
    long windowUs = Epoch.nowUs();
    ProbeStats stats = new ProbeStats(spec.slo());
    long startedAtWindow = knob.started();
    openUntilUs = Long.MAX_VALUE;
    openFromUs = windowUs;
    open = stats;
    Phase ph = plan.remove(plan.size() - 1);
    plan.add(new Phase(ph.name(), ph.level(), ph.startEpochUs(), OPEN_END, windowUs - run.anchorUs()));
    run.plan(plan);
    ProbeVerdict.Decision d;
    double elapsed;
    while (true) {
      Thread.sleep(TICK_MS);
      if (run.isOver()) return null;
      long now = Epoch.nowUs();
      elapsed = (now - windowUs) / 1e6;
      stats.backlog(elapsed, knob.inFlight());
      d = verdict.judge(stats, load, elapsed);
      if (d != null) break;
      if (now >= deadlineUs) {
        d = new ProbeVerdict.Decision(stats.n() > 0 && (double) stats.good() / stats.n() >= spec.slo().fraction(),
            "time budget ran out: by the point estimate");
        break;
      }
    }
    long endUs = Epoch.nowUs();
    if (d.censored()) {
      // the requests still out are the slow ones: the verdict waits for them (at this probe's load)
      openUntilUs = endUs;
      long sent = knob.started() - startedAtWindow;
      long still = drainWindow(stats, sent, endUs + spec.maxWindow().toNanos() / 1000);
      if (still < 0) return null;
      stats.unfinished(still);
      boolean outOfTime = d.reason().startsWith("time budget");
      d = verdict.judge(stats, load, elapsed, true);
      if (outOfTime) d = new ProbeVerdict.Decision(d.pass(), "time budget ran out; " + d.reason(), true);
      if (still > 0) d = new ProbeVerdict.Decision(d.pass(), d.reason() + " (" + still + " still out after the drain: misses)", true);
    }
    open = null;
    double e2e = stats.meanE2eMs();
    if (!Double.isNaN(e2e)) lastE2eUs = (long) (e2e * 1000);
    double w = (endUs - windowUs) / 1e6;
    double[] ci = Wilson.interval(stats.good(), stats.n(), Wilson.Z90);
    double window = ProbeVerdict.seconds(spec.window());
    String reason = Placement.measured(probes, load)
        ? "measured again (its failure came before the pass below it): " + d.reason() : d.reason();
    return new Probe(index, name, load, startUs, windowUs, endUs, stats.n(), stats.good(), ci[0], ci[1],
        stats.marginAt(spec.slo().fraction()), stats.n() / w, stats.good() / w, stats.tokens() / w,
        stats.backlogGrowth(), d.pass(), reason, elapsed < window - 1e-3, elapsed > window + TICK_MS / 1e3);
  }

  /**
   * Waits until the {@code sent} requests of the window have ended (two may be counted sent a
   * moment before they were stamped, as in {@link #drained}), at most until {@code limitUs};
   * returns how many are still out then (-1 when the run ended under it).
   */
  private long drainWindow(ProbeStats stats, long sent, long limitUs) throws InterruptedException {
    while (stats.n() < sent - 2 && Epoch.nowUs() < limitUs) {
      if (run.isOver()) return -1;
      Thread.sleep(TICK_MS / 4);
    }
    return Math.max(0, sent - 2 - stats.n());
  }

  /** Whether every request started before this probe has ended (two may be counted started a moment before it and sent just after). */
  private boolean drained(long recordedBefore, long startedBefore) {
    long endedBefore;
    synchronized (this) {
      endedBefore = endedBeforeBoundary;
    }
    return endedBefore >= startedBefore - 2 || recordedBefore >= startedBefore;
  }

  /** Ends the running phase at {@code atUs}. */
  private void closePhase(long atUs) {
    if (plan.isEmpty()) return;
    Phase last = plan.remove(plan.size() - 1);
    long rel = atUs - run.anchorUs();
    long warm = Math.min(last.warmupEndEpochUs(), rel);
    plan.add(new Phase(last.name(), last.level(), last.startEpochUs(), rel, warm));
    run.plan(plan);
  }
}
