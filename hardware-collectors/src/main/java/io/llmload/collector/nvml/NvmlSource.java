package io.llmload.collector.nvml;

import com.sun.jna.ptr.IntByReference;
import io.llmload.collector.GpuSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * NVML's cheap reads, at the fast period: 1 s average power, instant power (field 186), utilisation,
 * memory (the v2 call, which leaves driver-reserved memory out as nvidia-smi does), SM and memory
 * clocks, temperature, enforced power limit. The energy counter, which costs milliseconds, is read by
 * {@link NvmlEnergySource} on its own thread. Buffers are allocated once per GPU.
 */
public final class NvmlSource implements Source {

  private static final long LIMIT_REFRESH_MS = 10_000;

  private final NvmlGpus shared;
  private final long periodMs;
  private final Clock clock;
  private @Nullable NvmlLibrary nvml;
  private @Nullable SampleSink sink;
  private Buffers[] buffers = new Buffers[0];
  private long samples;

  private static final class Buffers {
    final NvmlGpus.Gpu gpu;
    final IntByReference i = new IntByReference();
    final NvmlLibrary.Utilization util = new NvmlLibrary.Utilization();
    final NvmlLibrary.MemoryV2 mem = new NvmlLibrary.MemoryV2();
    final NvmlLibrary.FieldValue[] instant = (NvmlLibrary.FieldValue[]) new NvmlLibrary.FieldValue().toArray(1);
    boolean instantSupported = true;
    boolean memSupported = true;
    boolean utilSupported = true;
    @Nullable Double limitW;
    long limitReadAt;
    boolean limitRead;

    Buffers(NvmlGpus.Gpu gpu) {
      this.gpu = gpu;
    }
  }

  public NvmlSource(NvmlGpus shared, long periodMs, Clock clock) {
    this.shared = shared;
    this.periodMs = periodMs;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "nvml";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    this.nvml = shared.acquire();
    this.sink = sink;
    List<NvmlGpus.Gpu> gpus = shared.gpus();
    buffers = new Buffers[gpus.size()];
    for (int k = 0; k < buffers.length; k++) {
      buffers[k] = new Buffers(gpus.get(k));
    }
  }

  @Override
  public void poll() {
    NvmlLibrary n = nvml;
    SampleSink s = sink;
    if (n == null || s == null) {
      return;
    }
    for (Buffers b : buffers) {
      s.gpu(read(n, b));
      samples++;
    }
  }

  private GpuSample read(NvmlLibrary n, Buffers b) {
    var h = b.gpu.handle();
    long now = clock.millis();
    Double avgW = n.nvmlDeviceGetPowerUsage(h, b.i) == 0 ? milli(b.i.getValue()) : null;
    Double instantW = null;
    if (b.instantSupported) {
      NvmlLibrary.FieldValue f = b.instant[0];
      f.fieldId = NvmlLibrary.FI_DEV_POWER_INSTANT;
      f.scopeId = 0;
      f.nvmlReturn = -1;
      int rc = n.nvmlDeviceGetFieldValues(h, 1, b.instant);
      if (rc == 0 && f.nvmlReturn == 0) {
        instantW = milli(fieldLong(f));
      } else if (rc == NvmlLibrary.ERROR_FUNCTION_NOT_FOUND
          || f.nvmlReturn == NvmlLibrary.ERROR_NOT_SUPPORTED
          || rc == NvmlLibrary.ERROR_NOT_SUPPORTED) {
        b.instantSupported = false;
      }
    }
    Double utilGpu = null;
    Double utilMem = null;
    if (b.utilSupported) {
      int rc = n.nvmlDeviceGetUtilizationRates(h, b.util);
      if (rc == 0) {
        utilGpu = (double) Integer.toUnsignedLong(b.util.gpu);
        utilMem = (double) Integer.toUnsignedLong(b.util.memory);
      } else if (rc == NvmlLibrary.ERROR_NOT_SUPPORTED) {
        b.utilSupported = false; // MIG: utilisation is not available
      }
    }
    Double memUsed = null;
    Double memTotal = null;
    if (b.memSupported) {
      b.mem.version = NvmlLibrary.MEMORY_V2_VERSION;
      int rc = n.nvmlDeviceGetMemoryInfo_v2(h, b.mem);
      if (rc == 0) {
        memUsed = mib(b.mem.used);
        memTotal = mib(b.mem.total);
      } else if (rc == NvmlLibrary.ERROR_FUNCTION_NOT_FOUND || rc == NvmlLibrary.ERROR_NOT_SUPPORTED) {
        b.memSupported = false;
      }
    }
    Double sm = n.nvmlDeviceGetClockInfo(h, NvmlLibrary.CLOCK_SM, b.i) == 0 ? unsigned(b.i.getValue()) : null;
    Double mc = n.nvmlDeviceGetClockInfo(h, NvmlLibrary.CLOCK_MEM, b.i) == 0 ? unsigned(b.i.getValue()) : null;
    Double temp =
        n.nvmlDeviceGetTemperature(h, NvmlLibrary.TEMPERATURE_GPU, b.i) == 0 ? unsigned(b.i.getValue()) : null;
    if (!b.limitRead || now - b.limitReadAt >= LIMIT_REFRESH_MS) {
      b.limitRead = true;
      b.limitW = n.nvmlDeviceGetEnforcedPowerLimit(h, b.i) == 0 ? milli(b.i.getValue()) : null;
      b.limitReadAt = now;
    }
    return new GpuSample(now, "nvml", b.gpu.index(), b.gpu.uuid(), b.gpu.name(), utilGpu, utilMem, memUsed,
        memTotal, avgW, instantW, null, sm, mc, temp, b.limitW);
  }

  /** The union of an {@code nvmlFieldValue_t}, as an integer, per its {@code valueType}. */
  static long fieldLong(NvmlLibrary.FieldValue f) {
    return switch (f.valueType) {
      case 0 -> (long) Double.longBitsToDouble(f.value);
      case 1 -> f.value & 0xFFFF_FFFFL; // unsigned int in the union's low 4 bytes (little-endian)
      case 5 -> (int) f.value;
      case 6 -> f.value & 0xFFFFL;
      default -> f.value;
    };
  }

  private static Double milli(long v) {
    return Integer.toUnsignedLong((int) v) / 1000.0;
  }

  private static Double unsigned(int v) {
    return (double) Integer.toUnsignedLong(v);
  }

  private static Double mib(long bytes) {
    return bytes / 1048576.0;
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
