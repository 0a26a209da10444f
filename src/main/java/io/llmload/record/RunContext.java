package io.llmload.record;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the actions of one run share: the recorder and the phase plan. The protocol carries it
 * ({@code LlmProtocolBuilder.recordTo}, set by {@code LlmSimulation.llmProtocol()}); a protocol
 * without one records nothing beyond Gatling's own stats, and says so at start.
 */
public final class RunContext {
  private final RunRecorder recorder;
  private final LiveStats live = new LiveStats();
  /** The plan, with instants as offsets from the start of injection. */
  private volatile List<Phase> plan = List.of();
  private volatile List<Phase> phases = List.of();
  private final java.util.concurrent.atomic.AtomicLong anchorUs = new java.util.concurrent.atomic.AtomicLong();

  public RunContext(RunRecorder recorder) {
    this.recorder = recorder;
  }

  public RunRecorder recorder() {
    return recorder;
  }

  public LiveStats live() {
    return live;
  }

  private volatile boolean over;

  /** The simulation is over (its after() began): no request starts any more. */
  public void over() {
    over = true;
  }

  public boolean isOver() {
    return over;
  }

  /** TPOT of successful requests by request name, kept only for the names given to {@link #keepTpot}. */
  private final java.util.Map<String, double[]> tpot = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Integer> tpotCount = new java.util.concurrent.ConcurrentHashMap<>();

  /** Keep every TPOT of requests named {@code request}, for percentile objectives evaluated after the run. */
  public synchronized void keepTpot(String request) {
    tpot.putIfAbsent(request, new double[64]);
    tpotCount.putIfAbsent(request, 0);
  }

  /** One request's TPOT; ignored unless {@link #keepTpot} named the request. */
  public void tpot(String request, double ms) {
    if (!tpot.containsKey(request)) return;
    synchronized (this) {
      double[] a = tpot.get(request);
      int n = tpotCount.get(request);
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
        tpot.put(request, a);
      }
      a[n] = ms;
      tpotCount.put(request, n + 1);
    }
  }

  /** The TPOTs kept for {@code request} (a copy). */
  public synchronized double[] tpotSamples(String request) {
    double[] a = tpot.get(request);
    return a == null ? new double[0] : java.util.Arrays.copyOf(a, tpotCount.get(request));
  }

  /** The phase plan, with instants given as microseconds from the start of injection. */
  public void plan(List<Phase> relative) {
    plan = List.copyOf(relative);
    long a = anchorUs.get();
    if (a != 0) phases = shift(plan, a);
  }

  /**
   * Fixes the start of injection: the first request's scheduled instant. Gatling starts injecting
   * a while after {@code before()} (a second or more on a busy machine), so phase windows are
   * anchored on the first virtual user, not on the clock at {@code before()}.
   */
  public void anchor(long epochUs) {
    firstUs.compareAndSet(0, epochUs);
    if (anchorUs.compareAndSet(0, epochUs)) {
      phases = shift(plan, epochUs);
    }
  }

  private final java.util.concurrent.atomic.AtomicLong firstUs = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean startFixed;

  /**
   * Fixes the start of injection at a common instant ({@code -DstartAt} of a sharded run), so the
   * phases and an open-model schedule of every shard count from the same instant; the first
   * injection event is still noted ({@link #firstInjectionUs()}).
   */
  public void fixStart(long epochUs) {
    startFixed = true;
    anchor(epochUs);
    firstUs.set(0);
  }

  public boolean startFixed() {
    return startFixed;
  }

  /** When injection actually began by this JVM's clock (first arrival pacer or request), 0 before. */
  public long firstInjectionUs() {
    return firstUs.get();
  }

  /** Absolute phase windows; empty until anchored. */
  public List<Phase> phases() {
    return phases;
  }

  public long anchorUs() {
    return anchorUs.get();
  }

  private static List<Phase> shift(List<Phase> rel, long by) {
    List<Phase> out = new java.util.ArrayList<>(rel.size());
    for (Phase p : rel) {
      out.add(new Phase(p.name(), p.level(), by + p.startEpochUs(), by + p.endEpochUs(), by + p.warmupEndEpochUs()));
    }
    return List.copyOf(out);
  }

  /** The phase holding an instant; an instant past the plan belongs to the last phase. */
  public @Nullable Phase phaseAt(long epochUs) {
    anchor(epochUs);
    List<Phase> p = phases;
    for (Phase ph : p) {
      if (ph.contains(epochUs)) return ph;
    }
    if (!p.isEmpty() && epochUs >= p.get(p.size() - 1).endEpochUs()) return p.get(p.size() - 1);
    if (!p.isEmpty() && epochUs < p.get(0).startEpochUs()) return p.get(0);
    return null;
  }
}
