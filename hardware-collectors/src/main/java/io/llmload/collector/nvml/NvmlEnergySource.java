package io.llmload.collector.nvml;

import com.sun.jna.ptr.LongByReference;
import io.llmload.collector.GpuSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import io.llmload.collector.UnsupportedSourceException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The NVML energy counter ({@code nvmlDeviceGetTotalEnergyConsumption}, mJ since driver load) on its own
 * thread: one read costs about 3 ms (up to 18 ms on the H100 measured), too slow for the 10 Hz thread.
 * Rows carry only the counter; the aggregator takes deltas over a window. Volta or newer.
 */
public final class NvmlEnergySource implements Source {

  private final NvmlGpus shared;
  private final long periodMs;
  private final Clock clock;
  private @Nullable NvmlLibrary nvml;
  private @Nullable SampleSink sink;
  private List<NvmlGpus.Gpu> gpus = List.of();
  private final LongByReference energy = new LongByReference();
  private long samples;

  public NvmlEnergySource(NvmlGpus shared, long periodMs, Clock clock) {
    this.shared = shared;
    this.periodMs = periodMs;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "nvml-energy";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    NvmlLibrary n = shared.acquire();
    List<NvmlGpus.Gpu> ok = new ArrayList<>();
    StringBuilder why = new StringBuilder();
    for (NvmlGpus.Gpu g : shared.gpus()) {
      int rc;
      try {
        rc = n.nvmlDeviceGetTotalEnergyConsumption(g.handle(), energy);
      } catch (UnsatisfiedLinkError e) {
        shared.release();
        throw new UnsupportedSourceException("this driver's NVML has no nvmlDeviceGetTotalEnergyConsumption");
      }
      if (rc == 0) {
        ok.add(g);
      } else {
        why.append(" gpu ").append(g.index()).append(": ").append(NvmlGpus.error(n, rc));
      }
    }
    if (ok.isEmpty()) {
      shared.release();
      throw new UnsupportedSourceException(
          "energy counter not readable (needs Volta or newer):" + why);
    }
    this.nvml = n;
    this.sink = sink;
    this.gpus = List.copyOf(ok);
  }

  /** @throws IOException when no GPU's counter could be read */
  @Override
  public void poll() throws IOException {
    NvmlLibrary n = nvml;
    SampleSink s = sink;
    if (n == null || s == null) {
      return;
    }
    int lastRc = 0;
    int read = 0;
    for (NvmlGpus.Gpu g : gpus) {
      long before = clock.millis();
      long t0 = System.nanoTime();
      int rc = n.nvmlDeviceGetTotalEnergyConsumption(g.handle(), energy);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      if (rc != 0) {
        lastRc = rc;
        continue;
      }
      read++;
      // A read takes 3-18 ms on real GPUs and the counter is as of some instant inside the call: stamped
      // at the call's middle, the error is at most half the call (stamped at its end, up to all of it).
      long now = before + tookMs / 2;
      long mj = energy.getValue();
      if (mj < 0) {
        continue; // beyond Long.MAX_VALUE mJ (2.9e8 years at 1 kW): a garbage read
      }
      s.gpu(new GpuSample(now, "nvml", g.index(), g.uuid(), g.name(), null, null, null, null, null, null, mj,
          null, null, null, null));
      samples++;
    }
    if (read == 0 && !gpus.isEmpty()) {
      throw new IOException("no energy counter readable: " + NvmlGpus.error(n, lastRc));
    }
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void close() {
    if (nvml != null) {
      nvml = null;
      shared.release();
    }
  }
}
