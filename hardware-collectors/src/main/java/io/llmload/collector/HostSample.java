package io.llmload.collector;

import io.llmload.collector.runfolder.Csv;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code host.csv}.
 *
 * @param cpuEnergyUj RAPL package energy since collector start, summed over packages, wrap-corrected;
 *     null where RAPL is unreadable
 */
public record HostSample(
    long epochMs,
    @Nullable Double cpuPct,
    @Nullable Double memUsedMib,
    @Nullable Double memTotalMib,
    @Nullable Double load1,
    @Nullable Long cpuEnergyUj) {

  public static final String HEADER = "epoch_ms,cpu_pct,mem_used_mib,mem_total_mib,load1,cpu_energy_uj";

  public String csv() {
    StringBuilder b = new StringBuilder(64);
    b.append(epochMs).append(',');
    Csv.num(b, cpuPct).append(',');
    Csv.num(b, memUsedMib).append(',');
    Csv.num(b, memTotalMib).append(',');
    Csv.num(b, load1).append(',');
    Csv.num(b, cpuEnergyUj);
    return b.toString();
  }
}
