package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.Host;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.collector.EnergyMath;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * hardware/host.csv over one phase window: host CPU and memory, and the CPU package energy from
 * RAPL (the collector writes it wrap-corrected), interpolated at the window's edges. For a server
 * on CPUs (llama.cpp, Ollama on a laptop) CPU energy per token is the energy figure.
 */
final class HostPhase {
  final long fromUs;
  final long toUs;
  final GpuTrack.Series energyUj = new GpuTrack.Series();
  double cpuSum, cpuMax = Double.NEGATIVE_INFINITY, memMax = Double.NEGATIVE_INFINITY, memTotal = Double.NaN;
  long cpuN;

  HostPhase(long fromUs, long toUs) {
    this.fromUs = fromUs;
    this.toUs = toUs;
  }

  void sample(long us, double cpuPct, double memUsedMib, double memTotalMib, double cpuEnergyUj) {
    energyUj.offer(us, cpuEnergyUj, fromUs, toUs);
    if (us < fromUs || us > toUs) return;
    if (!Double.isNaN(cpuPct)) {
      cpuSum += cpuPct;
      cpuN++;
      cpuMax = Math.max(cpuMax, cpuPct);
    }
    if (!Double.isNaN(memUsedMib)) memMax = Math.max(memMax, memUsedMib);
    if (!Double.isNaN(memTotalMib)) memTotal = memTotalMib;
  }

  double cpuEnergyJ() {
    if (energyUj.n < 2) return Double.NaN;
    long[] mj = new long[energyUj.n];
    for (int i = 0; i < mj.length; i++) mj[i] = Math.round(energyUj.v[i] / 1000);
    return EnergyMath.counterDeltaJ(Arrays.copyOf(energyUj.tMs, energyUj.n), mj, fromUs / 1000.0, toUs / 1000.0);
  }

  @Nullable ObjectNode toJson(long windowTokens) {
    double e = cpuEnergyJ();
    if (cpuN == 0 && memMax == Double.NEGATIVE_INFINITY && Double.isNaN(e)) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    GpuPhase.putOrNull(o, Host.CPU_AVG_PCT, cpuN > 0 ? cpuSum / cpuN : Double.NaN);
    GpuPhase.putOrNull(o, Host.CPU_MAX_PCT, cpuMax);
    GpuPhase.putOrNull(o, Host.MEM_USED_MAX_MIB, memMax);
    GpuPhase.putOrNull(o, Host.MEM_TOTAL_MIB, memTotal);
    GpuPhase.putOrNull(o, Host.CPU_ENERGY_J, e);
    if (!Double.isNaN(e)) o.put(Host.CPU_ENERGY_COVERS_WINDOW, energyUj.spans(fromUs, toUs));
    GpuPhase.putOrNull(o, Host.CPU_J_PER_TOKEN, windowTokens > 0 ? e / windowTokens : Double.NaN);
    return o;
  }
}
