package io.llmload.collector;

import io.llmload.collector.runfolder.Csv;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code gpu.csv}. A null field was not read by this sample (the fast power thread and the
 * slow energy thread write separate rows) or is unsupported on the device; never 0 or -1 in its place.
 *
 * @param energyMj the device's cumulative energy counter as read (millijoules since driver load)
 */
public record GpuSample(
    long epochMs,
    String source,
    @Nullable Integer gpuIndex,
    @Nullable String gpuUuid,
    @Nullable String gpuName,
    @Nullable Double utilGpuPct,
    @Nullable Double utilMemPct,
    @Nullable Double memUsedMib,
    @Nullable Double memTotalMib,
    @Nullable Double powerAvgW,
    @Nullable Double powerInstantW,
    @Nullable Long energyMj,
    @Nullable Double smClockMhz,
    @Nullable Double memClockMhz,
    @Nullable Double tempC,
    @Nullable Double powerLimitW) {

  /** Header of {@code gpu.csv}; the aggregator reads these names. */
  public static final String HEADER =
      "epoch_ms,source,gpu_index,gpu_uuid,gpu_name,util_gpu_pct,util_mem_pct,mem_used_mib,mem_total_mib,"
          + "power_avg_w,power_instant_w,energy_mj,sm_clock_mhz,mem_clock_mhz,temp_c,power_limit_w";

  /** The row, without line end. */
  public String csv() {
    StringBuilder b = new StringBuilder(160);
    b.append(epochMs).append(',');
    Csv.field(b, source).append(',');
    Csv.num(b, gpuIndex).append(',');
    Csv.field(b, gpuUuid).append(',');
    Csv.field(b, gpuName).append(',');
    Csv.num(b, utilGpuPct).append(',');
    Csv.num(b, utilMemPct).append(',');
    Csv.num(b, memUsedMib).append(',');
    Csv.num(b, memTotalMib).append(',');
    Csv.num(b, powerAvgW).append(',');
    Csv.num(b, powerInstantW).append(',');
    Csv.num(b, energyMj).append(',');
    Csv.num(b, smClockMhz).append(',');
    Csv.num(b, memClockMhz).append(',');
    Csv.num(b, tempC).append(',');
    Csv.num(b, powerLimitW);
    return b.toString();
  }
}
