package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A regression confirmed by an independent second run before it is reported: when a run regresses,
 * the same configuration runs once more (a new seed, the same baseline and history) and the verdict
 * is regressed only when the same metric of the same phase regressed in both runs.
 *
 * <p>Why the same metric and not "anything in both": a real change moves a given metric in every
 * run, so a metric that regressed once is detected twice with probability about p squared; a
 * false alarm lands on whichever of the ~8 metrics a run's luck picks, and two flukes on different
 * metrics are no evidence of anything. Requiring the same metric keeps detection of a real change
 * at p squared while cutting false alarms to about the sum of the squared per-metric rates.
 *
 * <p>The second run's regressions that the first run did not have become inconclusive (not
 * confirmed), so {@link #result()} gives the combined verdict, exit code and report files through
 * the ordinary {@link GateResult} path.
 *
 * @param firstRun the first run's folder (or label), as the report names it
 * @param firstRegressed "phase metric" keys that regressed in the first run
 * @param second the confirmation run gated against the same baseline
 */
public record Confirmation(String firstRun, Set<String> firstRegressed, GateResult second) {
  public static final String RULE = "a regression is reported only when the same metric of the same phase"
      + " regressed in two independent runs of the same configuration, each gated against the same baseline";

  public Confirmation {
    firstRegressed = Set.copyOf(new TreeSet<>(firstRegressed));
  }

  /** From the first run's own gate result. */
  public static Confirmation of(String firstRun, GateResult first, GateResult second) {
    Set<String> keys = new TreeSet<>();
    first.regressions().forEach(m -> keys.add(key(m)));
    return new Confirmation(firstRun, keys, second);
  }

  /** The "phase metric" keys that regressed, read from a run's verdict.json. */
  public static Set<String> regressedIn(JsonNode verdictJson) {
    Set<String> keys = new TreeSet<>();
    for (JsonNode r : verdictJson.path("results")) {
      if (Verdict.REGRESSED.label().equals(r.path("verdict").asText())) {
        keys.add(r.path("phase").asText() + " " + r.path("metric").asText());
      }
    }
    return keys;
  }

  static String key(MetricResult m) {
    return m.phase() + " " + m.metric().key();
  }

  /** The metrics that regressed in both runs (the confirmation run's findings). */
  public List<MetricResult> confirmed() {
    return second.regressions().stream().filter(m -> firstRegressed.contains(key(m))).toList();
  }

  /** The second run's result with its unconfirmed regressions made inconclusive: the combined verdict. */
  public GateResult result() {
    List<MetricResult> rs = new ArrayList<>();
    for (MetricResult m : second.results()) {
      boolean unconfirmed = m.verdict() == Verdict.REGRESSED && !firstRegressed.contains(key(m));
      rs.add(unconfirmed ? m.withDecision(Verdict.INCONCLUSIVE, m.pAdjusted(),
          "not confirmed: regressed in this confirmation run but not in the first run (" + m.reason() + ")") : m);
    }
    return new GateResult(second.baseline(), second.current(), rs, second.warnings(), second.alpha(),
        second.allowInconclusive());
  }

  /** One line: what was confirmed, or why the first run's regression was not. */
  public String reason() {
    List<MetricResult> c = confirmed();
    if (!c.isEmpty()) {
      return "confirmed: " + String.join(", ", c.stream().map(Confirmation::key).toList())
          + " regressed in both the first run and the confirmation run";
    }
    List<String> again = second.regressions().stream().map(Confirmation::key).toList();
    return "not confirmed: the first run regressed in " + (firstRegressed.isEmpty() ? "nothing" : String.join(", ", firstRegressed))
        + ", the confirmation run " + (again.isEmpty() ? "did not regress (" + second.verdict().label() + ")"
            : "in " + String.join(", ", again) + " only (no metric regressed in both)");
  }
}
