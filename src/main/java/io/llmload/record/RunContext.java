package io.llmload.record;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the actions of this JVM's run share: the recorder and the phase plan. Set by the simulation
 * base class; absent when the DSL is used from a plain {@code Simulation} (then nothing is
 * recorded beyond Gatling's own stats).
 */
public final class RunContext {
  private static volatile @Nullable RunContext current;

  private final RunRecorder recorder;
  private volatile List<Phase> phases = List.of();

  public RunContext(RunRecorder recorder) {
    this.recorder = recorder;
  }

  public static @Nullable RunContext current() {
    return current;
  }

  public static void install(@Nullable RunContext ctx) {
    current = ctx;
  }

  public RunRecorder recorder() {
    return recorder;
  }

  public void phases(List<Phase> plan) {
    phases = List.copyOf(plan);
  }

  public List<Phase> phases() {
    return phases;
  }

  /** The phase holding an instant; an instant past the plan belongs to the last phase. */
  public @Nullable Phase phaseAt(long epochUs) {
    List<Phase> p = phases;
    for (Phase ph : p) {
      if (ph.contains(epochUs)) return ph;
    }
    if (!p.isEmpty() && epochUs >= p.get(p.size() - 1).endEpochUs()) return p.get(p.size() - 1);
    if (!p.isEmpty() && epochUs < p.get(0).startEpochUs()) return p.get(0);
    return null;
  }
}
