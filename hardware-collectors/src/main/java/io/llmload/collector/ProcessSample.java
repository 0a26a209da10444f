package io.llmload.collector;

import io.llmload.collector.runfolder.Csv;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code process.csv}: one matched inference-server process.
 *
 * @param cpuPct CPU use since the previous sample, in percent of one core (above 100 = several cores)
 */
public record ProcessSample(
    long epochMs, int pid, String name, @Nullable Double cpuPct, @Nullable Double rssMib, @Nullable Integer threads) {

  public static final String HEADER = "epoch_ms,pid,name,cpu_pct,rss_mib,threads";

  public String csv() {
    StringBuilder b = new StringBuilder(64);
    b.append(epochMs).append(',').append(pid).append(',');
    Csv.field(b, name).append(',');
    Csv.num(b, cpuPct).append(',');
    Csv.num(b, rssMib).append(',');
    Csv.num(b, threads);
    return b.toString();
  }
}
