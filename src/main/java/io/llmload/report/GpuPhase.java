package io.llmload.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** GPU samples inside one phase's measured window, per GPU UUID. */
final class GpuPhase {

  static final class Track {
    long firstCounterUs = Long.MIN_VALUE;
    double firstCounterMj = Double.NaN;
    long lastCounterUs = Long.MIN_VALUE;
    double lastCounterMj = Double.NaN;
    boolean counterWentBack;
    double integratedJ;
    long prevUs = Long.MIN_VALUE;
    double prevW = Double.NaN;
    double powerSum, powerMax = Double.NEGATIVE_INFINITY;
    long powerN;
    double utilSum, utilMax = Double.NEGATIVE_INFINITY;
    long utilN;
    double smSum, smMax = Double.NEGATIVE_INFINITY;
    long smN;
  }

  final Map<String, Track> gpus = new LinkedHashMap<>();
  @Nullable String gpuName;

  void sample(String uuid, long epochUs, double energyMj, double powerW, double utilPct, double smMhz) {
    Track t = gpus.computeIfAbsent(uuid, k -> new Track());
    if (!Double.isNaN(energyMj)) {
      if (t.firstCounterUs == Long.MIN_VALUE) {
        t.firstCounterUs = epochUs;
        t.firstCounterMj = energyMj;
      } else if (energyMj < t.lastCounterMj) {
        t.counterWentBack = true;
      }
      t.lastCounterUs = epochUs;
      t.lastCounterMj = energyMj;
    }
    if (!Double.isNaN(powerW)) {
      if (t.prevUs != Long.MIN_VALUE && !Double.isNaN(t.prevW)) {
        t.integratedJ += (t.prevW + powerW) / 2 * ((epochUs - t.prevUs) / 1e6);
      }
      t.prevUs = epochUs;
      t.prevW = powerW;
      t.powerSum += powerW;
      t.powerN++;
      t.powerMax = Math.max(t.powerMax, powerW);
    }
    if (!Double.isNaN(utilPct)) {
      t.utilSum += utilPct;
      t.utilN++;
      t.utilMax = Math.max(t.utilMax, utilPct);
    }
    if (!Double.isNaN(smMhz)) {
      t.smSum += smMhz;
      t.smN++;
      t.smMax = Math.max(t.smMax, smMhz);
    }
  }

  /**
   * The phase's GPU figures, or null without samples. Energy comes from the counter when every
   * GPU has one that only went up; otherwise from integrating power, and says so.
   */
  @Nullable ObjectNode toJson(long outputTokens, ReportOptions opts) {
    if (gpus.isEmpty()) return null;
    boolean counter = true;
    double counterJ = 0, integratedJ = 0, powerAvg = 0, powerMax = 0;
    double utilSum = 0, smSum = 0, utilMax = Double.NEGATIVE_INFINITY, smMax = Double.NEGATIVE_INFINITY;
    long utilN = 0, smN = 0;
    boolean anyPower = false;
    for (Track t : gpus.values()) {
      if (t.firstCounterUs == Long.MIN_VALUE || t.lastCounterUs == t.firstCounterUs || t.counterWentBack) {
        counter = false;
      } else {
        counterJ += (t.lastCounterMj - t.firstCounterMj) / 1000.0;
      }
      integratedJ += t.integratedJ;
      if (t.powerN > 0) {
        anyPower = true;
        powerAvg += t.powerSum / t.powerN;
        powerMax += t.powerMax;
      }
      utilSum += t.utilSum;
      utilN += t.utilN;
      utilMax = Math.max(utilMax, t.utilMax);
      smSum += t.smSum;
      smN += t.smN;
      smMax = Math.max(smMax, t.smMax);
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("gpus", gpus.size());
    if (gpuName != null) o.put("gpu_name", gpuName);
    putOrNull(o, "util_avg_pct", utilN > 0 ? utilSum / utilN : Double.NaN);
    putOrNull(o, "util_max_pct", utilN > 0 ? utilMax : Double.NaN);
    putOrNull(o, "power_avg_w", anyPower ? powerAvg : Double.NaN);
    putOrNull(o, "power_max_w", anyPower ? powerMax : Double.NaN);
    putOrNull(o, "sm_clock_avg_mhz", smN > 0 ? smSum / smN : Double.NaN);
    putOrNull(o, "sm_clock_max_mhz", smN > 0 ? smMax : Double.NaN);
    double energyJ;
    if (counter) {
      energyJ = counterJ;
      o.put("energy_source", "counter");
    } else if (anyPower && integratedJ > 0) {
      energyJ = integratedJ;
      o.put("energy_source", "integrated_power");
    } else {
      energyJ = Double.NaN;
      o.putNull("energy_source");
    }
    putOrNull(o, "energy_j", energyJ);
    boolean perToken = !Double.isNaN(energyJ) && energyJ > 0 && outputTokens > 0;
    putOrNull(o, "j_per_token", perToken ? energyJ / outputTokens : Double.NaN);
    putOrNull(o, "tokens_per_wh", perToken ? outputTokens / (energyJ / 3600.0) : Double.NaN);
    Double price = opts.energyPricePerKwh();
    if (price != null && !Double.isNaN(energyJ)) {
      ObjectNode c = o.putObject("energy_cost");
      c.put("value", Num.round(energyJ / 3.6e6 * price));
      c.put("currency", opts.currency());
      c.put("price_per_kwh", price);
    } else {
      o.putNull("energy_cost");
    }
    return o;
  }

  static void putOrNull(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) o.put(name, Num.round(v));
    else o.putNull(name);
  }
}
