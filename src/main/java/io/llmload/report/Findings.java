package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.Slo;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where the server saturates, read from summary phases. Capacity is judged by aggregate output
 * throughput and goodput, never by per-request speed: under continuous batching each request
 * slows down while the server does more in total, so the fastest request is not the best level.
 */
final class Findings {
  /** A higher level must beat a lower one by more than this to count as growth. */
  static final double GROWTH = 0.05;

  private Findings() {}

  private record Level(double level, String name, double throughput, double perRequest,
      double goodput, double goodFraction, double jPerToken, double windowS, long ok) {}

  /**
   * @param phases summary.json phases (fields {@code level}, {@code ok}, {@code output_tokens_per_s},
   *     {@code tokens_per_s.mean}, {@code goodput_rps}, {@code good_fraction}, {@code gpu.j_per_token})
   * @param slo the SLO as in summary.json, or null
   * @param levelWord "concurrency" or "rate"
   */
  static ObjectNode compute(ArrayNode phases, @Nullable JsonNode slo, double sloFraction, String levelWord) {
    List<Level> levels = new ArrayList<>();
    for (JsonNode p : phases) {
      if (!p.path(Phase.LEVEL).isNumber() || !p.path(Phase.OUTPUT_TOKENS_PER_S).isNumber()) continue;
      if (p.path(Phase.OK).asLong(0) <= 0) continue;
      levels.add(new Level(p.get(Phase.LEVEL).asDouble(), p.path(Phase.NAME).asText(),
          p.get(Phase.OUTPUT_TOKENS_PER_S).asDouble(), num(p.path(Phase.TOKENS_PER_S).path(Stats.MEAN)),
          num(p.path(Phase.GOODPUT_RPS)), num(p.path(Phase.GOOD_FRACTION)), num(p.path(Phase.GPU).path(Gpu.J_PER_TOKEN)),
          num(p.path(Phase.WINDOW_S)), p.path(Phase.OK).asLong(0)));
    }
    // Several phases at one level (a ramp step, then the steady phase): the longest one stands for
    // the level, as the one nearest steady state.
    Map<Double, Level> byLevel = new TreeMap<>();
    for (Level l : levels) {
      byLevel.merge(l.level, l, (a, b) -> longer(b, a) ? b : a);
    }
    levels = new ArrayList<>(byLevel.values());
    levels.sort(Comparator.comparingDouble(Level::level));
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode text = JsonNodeFactory.instance.arrayNode();
    boolean hasSlo = slo != null && slo.isObject() && (slo.hasNonNull(Slo.TTFT_MS) || slo.hasNonNull(Slo.TPOT_MS) || slo.hasNonNull(Slo.E2E_MS));
    o.putNull(SummaryJson.Findings.SATURATION_LEVEL);
    o.putNull(SummaryJson.Findings.BEST_GOODPUT_LEVEL);
    o.putNull(SummaryJson.Findings.SCALING_FACTOR);
    o.putNull(SummaryJson.Findings.SLO_BREAK_LEVEL);
    o.putNull(SummaryJson.Findings.BEST_THROUGHPUT_LEVEL);
    if (levels.size() < 2) {
      text.add("One " + levelWord + " level only: saturation findings need a sweep of at least two levels.");
      o.set(SummaryJson.Findings.TEXT, text);
      return o;
    }
    Level base = levels.get(0);
    Level peak = base;
    for (Level l : levels) if (l.throughput > peak.throughput) peak = l;
    putLevel(o, SummaryJson.Findings.BEST_THROUGHPUT_LEVEL, peak.level);

    int sat = -1;
    for (int i = 0; i < levels.size() && sat < 0; i++) {
      boolean grows = false;
      for (int j = i + 1; j < levels.size(); j++) {
        if (levels.get(j).throughput > levels.get(i).throughput * (1 + GROWTH)) grows = true;
      }
      if (!grows) sat = i;
    }
    Level top = levels.get(levels.size() - 1);

    Level best = peak;
    if (hasSlo) {
      // DistServe's rule: the highest load at which at least slo.fraction of requests met every
      // bound. A level with more goodput but fewer requests within the SLO does not qualify.
      best = null;
      for (Level l : levels) {
        if (!Double.isNaN(l.goodFraction) && l.goodFraction >= sloFraction) best = l;
      }
      if (best != null) putLevel(o, SummaryJson.Findings.BEST_GOODPUT_LEVEL, best.level);
    }
    // Scaling is quoted only to a level that meets the SLO (any level without one).
    double scaling = best != null && base.throughput > 0 ? best.throughput / base.throughput : Double.NaN;
    if (Double.isFinite(scaling)) o.put(SummaryJson.Findings.SCALING_FACTOR, Num.round(scaling));

    // 1. Aggregate throughput, the measure of capacity.
    if (peak == base) {
      text.add(String.format(Locale.ROOT,
          "Aggregate output throughput is highest at the lowest %s tested (%s: %s tokens/s); adding load does not raise it.",
          levelWord, lvl(base), Num.fmt(base.throughput, 1)));
    } else {
      text.add(String.format(Locale.ROOT,
          "Aggregate output throughput grows %s× from %s tokens/s at %s %s to %s tokens/s at %s %s.",
          Num.fmt(peak.throughput / base.throughput, 1), Num.fmt(base.throughput, 1), levelWord, lvl(base),
          Num.fmt(peak.throughput, 1), levelWord, lvl(peak)));
    }
    // 2. Per-request speed, which must not be mistaken for capacity.
    if (!Double.isNaN(base.perRequest) && !Double.isNaN(peak.perRequest) && peak != base) {
      double change = peak.perRequest / base.perRequest - 1;
      if (change < -GROWTH) {
        text.add(String.format(Locale.ROOT,
            "Per-request speed falls from %s to %s tokens/s (%s%%) over the same range: each request is slower while the server produces more in total, so capacity is read from aggregate throughput, not from per-request speed.",
            Num.fmt(base.perRequest, 1), Num.fmt(peak.perRequest, 1), Num.fmt(change * 100, 0)));
      } else {
        text.add(String.format(Locale.ROOT,
            "Per-request speed goes from %s to %s tokens/s over the same range.",
            Num.fmt(base.perRequest, 1), Num.fmt(peak.perRequest, 1)));
      }
    }
    // 3. Saturation.
    if (sat == levels.size() - 1) {
      Level prev = levels.get(levels.size() - 2);
      text.add(String.format(Locale.ROOT,
          "Throughput is still growing at the highest %s tested (%s: %s%% over %s): the server did not saturate in this sweep; test higher levels to find its limit.",
          levelWord, lvl(top), Num.fmt((top.throughput / prev.throughput - 1) * 100, 1), lvl(prev)));
    } else {
      Level s = levels.get(sat);
      putLevel(o, SummaryJson.Findings.SATURATION_LEVEL, s.level);
      text.add(String.format(Locale.ROOT,
          "Aggregate throughput stops growing beyond %s %s (%s tokens/s): no higher level adds more than %s%%.",
          levelWord, lvl(s), Num.fmt(s.throughput, 1), Num.fmt(GROWTH * 100, 0)));
    }
    if (Double.isFinite(scaling)) {
      text.add(String.format(Locale.ROOT, "Scaling factor of aggregate throughput from %s %s to the best level (%s, by %s): %s×.",
          levelWord, lvl(base), lvl(best), o.hasNonNull(SummaryJson.Findings.BEST_GOODPUT_LEVEL) ? "goodput under the SLO" : "throughput",
          Num.fmt(scaling, 2)));
    }
    // 4. Goodput and the SLO.
    if (!hasSlo) {
      text.add(String.format(Locale.ROOT,
          "No SLO given (-Dslo.ttft, -Dslo.tpot): the best level is judged by aggregate throughput alone (%s %s).",
          levelWord, lvl(peak)));
    } else {
      String bound = sloText(slo);
      if (best != null) {
        text.add(String.format(Locale.ROOT,
            "Best goodput level: %s %s, the highest at which at least %s%% of requests met the SLO (%s): %s%% did, %s requests/s.",
            levelWord, lvl(best), Num.fmt(sloFraction * 100, 0), bound, Num.fmt(best.goodFraction * 100, 1),
            Num.fmt(best.goodput, 2)));
      } else {
        text.add(String.format(Locale.ROOT,
            "No level met the SLO (%s) for at least %s%% of requests, so no scaling factor is quoted.",
            bound, Num.fmt(sloFraction * 100, 0)));
      }
      Level broke = null;
      for (Level l : levels) {
        if (!Double.isNaN(l.goodFraction) && l.goodFraction < sloFraction) {
          broke = l;
          break;
        }
      }
      if (broke == null) {
        text.add(String.format(Locale.ROOT, "The SLO (%s) holds at every level tested: at least %s%% of requests met it.",
            bound, Num.fmt(sloFraction * 100, 0)));
      } else {
        putLevel(o, SummaryJson.Findings.SLO_BREAK_LEVEL, broke.level);
        text.add(String.format(Locale.ROOT,
            "The SLO (%s) first breaks at %s %s: %s%% of requests met it, %s%% needed.",
            bound, levelWord, lvl(broke), Num.fmt(broke.goodFraction * 100, 1), Num.fmt(sloFraction * 100, 0)));
      }
    }
    // 5. Energy per token.
    if (!Double.isNaN(base.jPerToken) && !Double.isNaN(peak.jPerToken) && peak != base && peak.jPerToken > 0) {
      double ratio = base.jPerToken / peak.jPerToken;
      text.add(String.format(Locale.ROOT, "GPU energy per output token %s from %s J at %s %s to %s J at %s %s.",
          ratio >= 1 ? "falls " + Num.fmt(ratio, 1) + "×" : "rises " + Num.fmt(1 / ratio, 1) + "×",
          Num.fmt(base.jPerToken, 3), levelWord, lvl(base), Num.fmt(peak.jPerToken, 3), levelWord, lvl(peak)));
    }
    o.set(SummaryJson.Findings.TEXT, text);
    return o;
  }

  private static boolean longer(Level a, Level b) {
    double wa = Double.isNaN(a.windowS) ? 0 : a.windowS, wb = Double.isNaN(b.windowS) ? 0 : b.windowS;
    return wa != wb ? wa > wb : a.ok > b.ok;
  }

  private static void putLevel(ObjectNode o, String field, double level) {
    if (level == Math.rint(level) && Math.abs(level) < 1e15) o.put(field, (long) level);
    else o.put(field, level);
  }

  static String sloText(JsonNode slo) {
    List<String> parts = new ArrayList<>();
    if (slo.hasNonNull(Slo.TTFT_MS)) parts.add("TTFT ≤ " + Num.auto(slo.get(Slo.TTFT_MS).asDouble()) + " ms");
    if (slo.hasNonNull(Slo.TPOT_MS)) parts.add("TPOT ≤ " + Num.auto(slo.get(Slo.TPOT_MS).asDouble()) + " ms");
    if (slo.hasNonNull(Slo.E2E_MS)) parts.add("E2E ≤ " + Num.auto(slo.get(Slo.E2E_MS).asDouble()) + " ms");
    return String.join(", ", parts);
  }

  private static String lvl(Level l) {
    double v = l.level;
    return v == Math.rint(v) ? Long.toString((long) v) : Num.fmt(v, 2);
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
