package io.llmload.capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A search's outcome: converged, not converged (the time budget ran out first), above max (max
 * passed), below min (min failed); the answer (the highest passing load), the bracket, every probe.
 */
public record CapacityResult(String outcome, @Nullable Probe pass, @Nullable Probe fail, List<Probe> probes,
    SearchSpec spec, double seconds) {

  public static final String CONVERGED = "converged";
  public static final String NOT_CONVERGED = "not converged";
  public static final String ABOVE_MAX = "above max";
  public static final String BELOW_MIN = "below min";

  static CapacityResult of(List<Probe> probes, SearchSpec spec, double seconds) {
    Probe fail = Placement.lowestFail(probes);
    Probe pass = Placement.highestPass(probes, fail);
    String outcome;
    if (pass == null && fail != null && fail.load() <= spec.min()) outcome = BELOW_MIN;
    else if (fail == null && pass != null && pass.load() >= spec.max()) outcome = ABOVE_MAX;
    else if (pass != null && fail != null && spec.narrow(pass.load(), fail.load())) outcome = CONVERGED;
    else outcome = NOT_CONVERGED;
    return new CapacityResult(outcome, pass, fail, List.copyOf(probes), spec, seconds);
  }

  /** The capacity: the highest passing load, null when none passed. */
  public @Nullable Double answer() {
    return pass == null ? null : pass.load();
  }

  /** One line for the console at the end of the run. */
  public String line() {
    String unit = spec.rate() ? " req/s" : " users";
    String b = "bracket [" + (pass == null ? "-" : spec.show(pass.load())) + ", " + (fail == null ? "-" : spec.show(fail.load())) + "]";
    String a = answer() == null ? "none" : spec.show(answer()) + unit;
    return "capacity (" + (spec.rate() ? "rate" : "concurrency") + "): " + a + ", " + outcome + ", " + b + ", "
        + probes.size() + " probes in " + Math.round(seconds) + " s";
  }

  /** The {@code capacity.json} document (also {@code capacity} in summary.json). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("search", spec.rate() ? "rate" : "concurrency");
    m.put("unit", spec.rate() ? "requests/s" : "users");
    m.put("outcome", outcome);
    m.put("answer", answer());
    m.put("min", spec.min());
    m.put("max", spec.max());
    m.put("precision", spec.precision());
    Map<String, Object> slo = new LinkedHashMap<>();
    slo.put("ttft_ms", spec.slo().ttftMs());
    slo.put("tpot_ms", spec.slo().tpotMs());
    slo.put("e2e_ms", spec.slo().e2eMs());
    slo.put("fraction", spec.slo().fraction());
    slo.put("confidence", 0.90);
    m.put("slo", slo);
    Map<String, Object> bracket = new LinkedHashMap<>();
    bracket.put("pass", pass == null ? null : probe(pass, false));
    bracket.put("fail", fail == null ? null : probe(fail, false));
    m.put("bracket", bracket);
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    List<Object> list = new ArrayList<>();
    for (Probe p : probes) list.add(probe(p, Placement.superseded(probes, p)));
    m.put("probes", list);
    return m;
  }

  /** @param superseded a later probe measured the same load again, and its verdict counts instead */
  private static Map<String, Object> probe(Probe p, boolean superseded) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", p.index());
    m.put("phase", p.phase());
    m.put("load", p.load());
    m.put("decision", p.pass() ? "pass" : "fail");
    m.put("reason", p.reason());
    m.put("superseded", superseded);
    m.put("early", p.early());
    m.put("extended", p.extended());
    m.put("n", p.n());
    m.put("good", p.good());
    m.put("attainment", r4(p.attainment()));
    m.put("attainment_low", r4(p.attainmentLow()));
    m.put("attainment_high", r4(p.attainmentHigh()));
    m.put("margin", r4(p.margin()));
    m.put("requests_per_s", r4(p.requestsPerS()));
    m.put("goodput_per_s", r4(p.goodPerS()));
    m.put("output_tokens_per_s", r4(p.tokensPerS()));
    m.put("backlog_growth", r4(p.backlogGrowth()));
    m.put("warmup_s", r4(p.warmupSeconds()));
    m.put("window_s", r4(p.windowSeconds()));
    return m;
  }

  private static @Nullable Double r4(double v) {
    if (Double.isNaN(v)) return null;
    if (Double.isInfinite(v)) return v > 0 ? 1e9 : -1e9;
    return Math.round(v * 1e4) / 1e4;
  }
}
