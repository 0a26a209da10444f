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
      g.put(Gpu.PerGpu.UUID, e.getKey());
      putOrNull(g, Gpu.PerGpu.ENERGY_J, en.joules());
      g.put(Gpu.PerGpu.ENERGY_SOURCE, en.source());
      if (en.source() != null) {
        energyJ += en.joules();
        if (Gpu.EnergySource.COUNTER.equals(en.source())) counters++;
        else integrated++;
        covered &= en.covers();
      }
      if (t.powerN > 0) {
        withPower++;
        powerAvg += t.powerSum / t.powerN;
        powerMax += t.powerMax;
        putOrNull(g, Gpu.PerGpu.POWER_AVG_W, t.powerSum / t.powerN);
      }
      if (t.memUsedMax > Double.NEGATIVE_INFINITY) {
        withMem++;
        memUsed += t.memUsedMax;
        memTotal += Double.isNaN(t.memTotal) ? 0 : t.memTotal;
        putOrNull(g, Gpu.PerGpu.MEM_USED_MAX_MIB, t.memUsedMax);
      }
      if (!Double.isNaN(t.powerLimit)) {
        withLimit++;
        powerLimit += t.powerLimit;
      }
      putOrNull(g, Gpu.PerGpu.TEMP_MAX_C, t.tempMax);
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
    if (gpuName != null) o.put(Gpu.GPU_NAME, gpuName);
    putOrNull(o, Gpu.UTIL_AVG_PCT, utilN > 0 ? utilSum / utilN : Double.NaN);
    putOrNull(o, Gpu.UTIL_MAX_PCT, utilN > 0 ? utilMax : Double.NaN);
    putOrNull(o, Gpu.POWER_AVG_W, withPower > 0 ? powerAvg : Double.NaN);
    putOrNull(o, Gpu.POWER_MAX_W, withPower > 0 ? powerMax : Double.NaN);
    putOrNull(o, Gpu.POWER_LIMIT_W, withLimit > 0 ? powerLimit : Double.NaN);
    putOrNull(o, Gpu.SM_CLOCK_AVG_MHZ, smN > 0 ? smSum / smN : Double.NaN);
    putOrNull(o, Gpu.SM_CLOCK_MAX_MHZ, smN > 0 ? smMax : Double.NaN);
    putOrNull(o, Gpu.MEM_USED_MAX_MIB, withMem > 0 ? memUsed : Double.NaN);
    putOrNull(o, Gpu.MEM_TOTAL_MIB, withMem > 0 && memTotal > 0 ? memTotal : Double.NaN);
    putOrNull(o, Gpu.TEMP_MAX_C, tempMax);
    if (counters + integrated == 0) energyJ = Double.NaN;
    o.put(Gpu.ENERGY_SOURCE, counters + integrated == 0 ? null
        : integrated == 0 ? Gpu.EnergySource.COUNTER
        : counters == 0 ? Gpu.EnergySource.INTEGRATED_POWER : Gpu.EnergySource.COUNTER_AND_INTEGRATED_POWER);
    o.put(Gpu.ENERGY_COVERS_WINDOW, counters + integrated > 0 && covered);
    putOrNull(o, Gpu.ENERGY_J, energyJ);
    putOrNull(o, Gpu.J_PER_TOKEN, Definitions.joulesPerToken(energyJ, outputTokens));
    putOrNull(o, Gpu.TOKENS_PER_WH, Definitions.tokensPerWh(energyJ, outputTokens));
    Double price = opts.energyPricePerKwh();
    if (price != null && !Double.isNaN(energyJ)) {
      ObjectNode c = o.putObject(Gpu.ENERGY_COST);
      c.put(Gpu.EnergyCost.VALUE, Num.round(energyJ / 3.6e6 * price));
      c.put(Gpu.EnergyCost.CURRENCY, opts.currency());
      c.put(Gpu.EnergyCost.PRICE_PER_KWH, price);
    } else {
      o.putNull(Gpu.ENERGY_COST);
    }
    if (wholeGpuUnderMig) o.put(Gpu.ENERGY_SCOPE, Gpu.EnergyScope.WHOLE_GPU_UNDER_MIG);
    o.set(Gpu.PER_GPU, per);
    return o;
  }

  static void putOrNull(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) o.put(name, Num.round(v));
    else o.putNull(name);
  }
}
