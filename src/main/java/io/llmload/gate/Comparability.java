package io.llmload.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Whether two runs measured the same thing. A difference in any of these makes a change in the
 * numbers meaningless as a regression, so the gate refuses the pair unless forced, and names
 * every difference in one line.
 */
final class Comparability {
  /**
   * Run parameters that set the offered load or the request lengths. Durations and warm-ups are
   * left out: they change how many samples there are, not what is measured.
   */
  static final Set<String> LOAD_PARAMETERS = Set.of(
      "users", "rate", "arrival", "levels", "from", "to", "maxConcurrency",
      "workload", "prompt", "prompts", "sharegpt", "trace", "trace.timeScale", "turns", "conversations",
      "sharedPrefix", "input", "input.max", "output", "output.max", "output.force");

  private Comparability() {}

  /** Every difference between the runs that makes them incomparable, one short phrase each. */
  static List<String> differences(Summary base, Summary cur) {
    List<String> diffs = new ArrayList<>();
    if (base.definitions != cur.definitions) {
      diffs.add("definitions version " + base.definitions + " vs " + cur.definitions);
    }
    add(diffs, "simulation", base.simulation, cur.simulation);
    add(diffs, "protocol", base.protocol, cur.protocol);
    add(diffs, "model", base.model, cur.model);
    add(diffs, "max_tokens", base.maxTokens, cur.maxTokens);
    add(diffs, "emulator profile", base.emulatorProfile, cur.emulatorProfile);
    // the embedded emulator listens on a new loopback port every run: its profile stands for the target
    if (base.emulatorProfile == null && cur.emulatorProfile == null) {
      add(diffs, "target", normalTarget(base.target), normalTarget(cur.target));
    }
    if (!base.parameters.isEmpty() && !cur.parameters.isEmpty()) {
      Set<String> keys = new TreeSet<>(base.parameters.keySet());
      keys.addAll(cur.parameters.keySet());
      for (String k : keys) {
        if (LOAD_PARAMETERS.contains(k)) {
          add(diffs, k, base.parameters.get(k), cur.parameters.get(k));
        }
      }
    }
    for (Summary.Phase bp : base.phases) {
      Summary.Phase cp = cur.phase(bp.name);
      if (cp == null) {
        continue; // reported as a missing phase
      }
      if (bp.gpus != null && cp.gpus != null && !bp.gpus.equals(cp.gpus)) {
        diffs.add("phase " + bp.name + " GPU count " + bp.gpus + " vs " + cp.gpus);
      }
      if (bp.energySource != null && cp.energySource != null && !bp.energySource.equals(cp.energySource)) {
        diffs.add("phase " + bp.name + " energy source '" + bp.energySource + "' vs '" + cp.energySource + "'");
      }
    }
    return diffs;
  }

  private static void add(List<String> diffs, String what, @Nullable String b, @Nullable String c) {
    if (!Objects.equals(b, c)) {
      diffs.add(what + " " + show(b) + " vs " + show(c));
    }
  }

  private static @Nullable String normalTarget(@Nullable String t) {
    if (t == null) {
      return null;
    }
    String s = t.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static String show(@Nullable String s) {
    return s == null ? "none" : "'" + s + "'";
  }
}
