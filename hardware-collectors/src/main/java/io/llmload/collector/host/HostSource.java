package io.llmload.collector.host;

import io.llmload.collector.HostSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import io.llmload.collector.SourceStatus;
import io.llmload.collector.UnsupportedSourceException;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Host CPU use, memory and load average through OSHI, and CPU package energy through {@link Rapl} where
 * readable (its own entry, {@code rapl}, in {@code collector.json}).
 */
public final class HostSource implements Source {

  private static final double MIB = 1048576.0;

  private final long periodMs;
  private final Clock clock;
  private final Path powercapRoot;
  private @Nullable CentralProcessor cpu;
  private @Nullable GlobalMemory memory;
  private long @Nullable [] ticks;
  private volatile @Nullable Rapl rapl;
  // read by raplStatus() from the session's thread
  private volatile @Nullable String raplProblem;
  private volatile boolean raplFailed;
  private @Nullable SampleSink sink;
  private long samples;

  public HostSource(long periodMs, Clock clock, Path powercapRoot) {
    this.periodMs = periodMs;
    this.clock = clock;
    this.powercapRoot = powercapRoot;
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    try {
      SystemInfo si = new SystemInfo();
      cpu = si.getHardware().getProcessor();
      memory = si.getHardware().getMemory();
    } catch (UnsupportedOperationException | LinkageError e) {
      throw new UnsupportedSourceException("OSHI does not support this platform: " + e);
    }
    try {
      rapl = Rapl.open(powercapRoot);
    } catch (UnsupportedSourceException e) {
      raplProblem = e.getMessage();
    }
    this.sink = sink;
  }

  /** How RAPL fared, for {@code collector.json}. */
  public SourceStatus raplStatus() {
    if (rapl != null && !raplFailed) {
      return new SourceStatus("rapl", SourceStatus.RUNNING, null, periodMs, null, samples, 0);
    }
    String why = raplProblem != null ? raplProblem : "host source did not start";
    return new SourceStatus("rapl", raplFailed ? SourceStatus.FAILED : SourceStatus.UNSUPPORTED, why, periodMs,
        null, 0, 0);
  }

  @Override
  public void poll() {
    CentralProcessor c = cpu;
    GlobalMemory m = memory;
    SampleSink s = sink;
    if (c == null || m == null || s == null) {
      return;
    }
    long now = clock.millis();
    long[] cur = c.getSystemCpuLoadTicks();
    Double pct = null; // the first sample has no interval to measure over
    if (ticks != null) {
      double load = c.getSystemCpuLoadBetweenTicks(ticks);
      pct = load >= 0 ? load * 100.0 : null;
    }
    ticks = cur;
    long total = m.getTotal();
    long avail = m.getAvailable();
    double[] la = c.getSystemLoadAverage(1);
    Double load1 = la.length > 0 && la[0] >= 0 ? la[0] : null;
    Long energy = null;
    if (rapl != null && !raplFailed) {
      try {
        energy = rapl.read();
      } catch (java.io.IOException | RuntimeException e) {
        raplFailed = true;
        raplProblem = "RAPL read failed: " + e;
      }
    }
    s.host(new HostSample(now, pct, total > 0 ? (total - avail) / MIB : null, total > 0 ? total / MIB : null, load1,
        energy));
    samples++;
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void close() {}
}
