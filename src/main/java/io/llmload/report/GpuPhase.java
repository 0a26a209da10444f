package io.llmload.report;

import io.llmload.record.Definitions;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** GPU samples of one phase's measured window, per GPU UUID. */
final class GpuPhase {
  final long fromUs;
  final long toUs;
  final Map<String, GpuTrack> gpus = new LinkedHashMap<>();
  @Nullable String gpuName;
  // A GPU split into MIG instances: its power and energy are the whole GPU's, not one slice's.
  boolean wholeGpuUnderMig;

  GpuPhase(long fromUs, long toUs) {
    this.fromUs = fromUs;
    this.toUs = toUs;
  }

  GpuTrack track(String uuid) {
    return gpus.computeIfAbsent(uuid, k -> new GpuTrack(fromUs, toUs));
  }

  /**
   * The phase's GPU figures, or null without samples in the window. Energy is per GPU: its counter
   * interpolated at the window's edges where it has one, else its power integrated (that GPU only).
   */
  @Nullable ObjectNode toJson(long outputTokens, ReportOptions opts) {
    double energyJ = 0, powerAvg = 0, powerMax = 0, memUsed = 0, memTotal = 0, powerLimit = 0;
    double utilSum = 0, smSum = 0, utilMax = Double.NEGATIVE_INFINITY, smMax = Double.NEGATIVE_INFINITY;
    double tempMax = Double.NEGATIVE_INFINITY;
    long utilN = 0, smN = 0;
    int withPower = 0, inWindow = 0, counters = 0, integrated = 0, withMem = 0, withLimit = 0;
    boolean covered = true;
    ArrayNode per = JsonNodeFactory.instance.arrayNode();
    for (Map.Entry<String, GpuTrack> e : gpus.entrySet()) {
      GpuTrack t = e.getValue();
      if (t.powerN == 0 && t.utilN == 0 && t.smN == 0 && t.counter.n < 2) continue;
      inWindow++;
      GpuTrack.Energy en = t.energy();
      ObjectNode g = per.addObject();
      g.put("uuid", e.getKey());
      putOrNull(g, "energy_j", en.joules());
      g.put(Gpu.ENERGY_SOURCE, en.source());
      if (en.source() != null) {
        energyJ += en.joules();
        if ("counter".equals(en.source())) counters++;
        else integrated++;
        covered &= en.covers();
      }
      if (t.powerN > 0) {
        withPower++;
        powerAvg += t.powerSum / t.powerN;
        powerMax += t.powerMax;
        putOrNull(g, "power_avg_w", t.powerSum / t.powerN);
      }
      if (t.memUsedMax > Double.NEGATIVE_INFINITY) {
        withMem++;
        memUsed += t.memUsedMax;
        memTotal += Double.isNaN(t.memTotal) ? 0 : t.memTotal;
        putOrNull(g, "mem_used_max_mib", t.memUsedMax);
      }
      if (!Double.isNaN(t.powerLimit)) {
        withLimit++;
        powerLimit += t.powerLimit;
      }
      putOrNull(g, "temp_max_c", t.tempMax);
      tempMax = Math.max(tempMax, t.tempMax);
      utilSum += t.utilSum;
      utilN += t.utilN;
      utilMax = Math.max(utilMax, t.utilMax);
      smSum += t.smSum;
      smN += t.smN;
      smMax = Math.max(smMax, t.smMax);
    }
    if (inWindow == 0) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(Gpu.GPUS, inWindow);
    if (gpuName != null) o.put("gpu_name", gpuName);
    putOrNull(o, "util_avg_pct", utilN > 0 ? utilSum / utilN : Double.NaN);
    putOrNull(o, "util_max_pct", utilN > 0 ? utilMax : Double.NaN);
    putOrNull(o, "power_avg_w", withPower > 0 ? powerAvg : Double.NaN);
    putOrNull(o, "power_max_w", withPower > 0 ? powerMax : Double.NaN);
    putOrNull(o, "power_limit_w", withLimit > 0 ? powerLimit : Double.NaN);
    putOrNull(o, "sm_clock_avg_mhz", smN > 0 ? smSum / smN : Double.NaN);
    putOrNull(o, "sm_clock_max_mhz", smN > 0 ? smMax : Double.NaN);
    putOrNull(o, "mem_used_max_mib", withMem > 0 ? memUsed : Double.NaN);
    putOrNull(o, "mem_total_mib", withMem > 0 && memTotal > 0 ? memTotal : Double.NaN);
    putOrNull(o, "temp_max_c", tempMax);
    if (counters + integrated == 0) energyJ = Double.NaN;
    o.put(Gpu.ENERGY_SOURCE, counters + integrated == 0 ? null
        : integrated == 0 ? "counter" : counters == 0 ? "integrated_power" : "counter_and_integrated_power");
    o.put("energy_covers_window", counters + integrated > 0 && covered);
    putOrNull(o, "energy_j", energyJ);
    putOrNull(o, Gpu.J_PER_TOKEN, Definitions.joulesPerToken(energyJ, outputTokens));
    putOrNull(o, "tokens_per_wh", Definitions.tokensPerWh(energyJ, outputTokens));
    Double price = opts.energyPricePerKwh();
    if (price != null && !Double.isNaN(energyJ)) {
      ObjectNode c = o.putObject("energy_cost");
      c.put("value", Num.round(energyJ / 3.6e6 * price));
      c.put("currency", opts.currency());
      c.put("price_per_kwh", price);
    } else {
      o.putNull("energy_cost");
    }
    if (wholeGpuUnderMig) o.put("energy_scope", "whole_gpu_under_mig");
    o.set("per_gpu", per);
    return o;
  }

  static void putOrNull(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) o.put(name, Num.round(v));
    else o.putNull(name);
  }
}
