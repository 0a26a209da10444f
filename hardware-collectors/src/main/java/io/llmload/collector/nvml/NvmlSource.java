package io.llmload.collector.nvml;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.llmload.collector.GpuSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import java.io.IOException;
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
    final Memory util = new Memory(8);
    final Memory mem = new Memory(40);
    /** Two field values in one call: 1 s average power (185) and instant power (186). */
    final Memory fields = new Memory(2L * NvmlLibrary.FIELD_VALUE_SIZE);
    // Each optional read stops on its own when the driver lacks it, refuses it or forbids it.
    boolean fieldsSupported = true;
    boolean powerSupported = true;
    boolean memSupported = true;
    boolean utilSupported = true;
    boolean smSupported = true;
    boolean memClockSupported = true;
    boolean tempSupported = true;
    boolean limitSupported = true;
    boolean lost;
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

  /** @throws IOException when no value of any GPU could be read (a lost GPU, a driver gone): an error, not a row */
  @Override
  public void poll() throws IOException {
    NvmlLibrary n = nvml;
    SampleSink s = sink;
    if (n == null || s == null) {
      return;
    }
    int written = 0;
    int lost = 0;
    for (Buffers b : buffers) {
      if (b.lost) {
        lost++;
        continue;
      }
      GpuSample g = read(n, b);
      if (b.lost) {
        lost++;
        continue;
      }
      if (g.powerAvgW() == null && g.powerInstantW() == null && g.utilGpuPct() == null && g.memUsedMib() == null
          && g.smClockMhz() == null && g.tempC() == null) {
        continue;
      }
      s.gpu(g);
      samples++;
      written++;
    }
    if (written == 0 && buffers.length > 0) {
      shared.failed("NVML returned no value for any GPU");
      throw new IOException("NVML returned no value for any GPU" + (lost > 0 ? " (" + lost + " lost)" : ""));
    }
  }

  /**
   * One GPU's row. A read whose symbol the driver lacks (JNA throws UnsatisfiedLinkError at the call,
   * NVML never says FUNCTION_NOT_FOUND then), that is not supported or not permitted is not tried again
   * on this GPU; the others go on. GPU_IS_LOST marks the GPU lost: the other GPUs go on.
   */
  private GpuSample read(NvmlLibrary n, Buffers b) {
    var h = b.gpu.handle();
    long now = clock.millis();
    Double avgW = null;
    Double instantW = null;
    int rc;
    if (b.fieldsSupported) {
      Memory f = b.fields;
      f.clear();
      f.setInt(0, NvmlLibrary.FI_DEV_POWER_AVERAGE);
      f.setInt(NvmlLibrary.FIELD_VALUE_SIZE, NvmlLibrary.FI_DEV_POWER_INSTANT);
      try {
        rc = n.nvmlDeviceGetFieldValues(h, 2, f);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING;
      }
      if (rc == 0) {
        avgW = fieldWatts(f, 0);
        instantW = fieldWatts(f, NvmlLibrary.FIELD_VALUE_SIZE);
      } else {
        b.fieldsSupported = keep(b, rc); // drivers before field values: the classic call below still works
      }
    }
    if (avgW == null && b.powerSupported) {
      try {
        rc = n.nvmlDeviceGetPowerUsage(h, b.i);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING;
      }
      if (rc == 0) avgW = milli(b.i.getValue());
      else b.powerSupported = keep(b, rc);
    }
    Double utilGpu = null;
    Double utilMem = null;
    if (b.utilSupported) {
      try {
        rc = n.nvmlDeviceGetUtilizationRates(h, b.util);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING;
      }
      if (rc == 0) {
        utilGpu = unsigned(b.util.getInt(0));
        utilMem = unsigned(b.util.getInt(4));
      } else {
        b.utilSupported = keep(b, rc); // MIG: utilisation is not available
      }
    }
    Double memUsed = null;
    Double memTotal = null;
    if (b.memSupported) {
      b.mem.clear();
      b.mem.setInt(0, NvmlLibrary.MEMORY_V2_VERSION);
      try {
        rc = n.nvmlDeviceGetMemoryInfo_v2(h, b.mem);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING; // drivers before 510 have no _v2
      }
      if (rc == 0) {
        memUsed = mib(b.mem.getLong(32));
        memTotal = mib(b.mem.getLong(8));
      } else {
        b.memSupported = keep(b, rc);
      }
    }
    Double sm = null;
    if (b.smSupported) {
      rc = clock(n, h, NvmlLibrary.CLOCK_SM, b);
      if (rc == 0) sm = unsigned(b.i.getValue());
      else b.smSupported = keep(b, rc);
    }
    Double mc = null;
    if (b.memClockSupported) {
      rc = clock(n, h, NvmlLibrary.CLOCK_MEM, b);
      if (rc == 0) mc = unsigned(b.i.getValue());
      else b.memClockSupported = keep(b, rc);
    }
    Double temp = null;
    if (b.tempSupported) {
      try {
        rc = n.nvmlDeviceGetTemperature(h, NvmlLibrary.TEMPERATURE_GPU, b.i);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING;
      }
      if (rc == 0) temp = unsigned(b.i.getValue());
      else b.tempSupported = keep(b, rc);
    }
    if (b.limitSupported && (!b.limitRead || now - b.limitReadAt >= LIMIT_REFRESH_MS)) {
      b.limitRead = true;
      try {
        rc = n.nvmlDeviceGetEnforcedPowerLimit(h, b.i);
      } catch (UnsatisfiedLinkError e) {
        rc = MISSING;
      }
      b.limitW = rc == 0 ? milli(b.i.getValue()) : null;
      if (rc != 0) b.limitSupported = keep(b, rc);
      b.limitReadAt = now;
    }
    return new GpuSample(now, "nvml", b.gpu.index(), b.gpu.uuid(), b.gpu.name(), utilGpu, utilMem, memUsed,
        memTotal, avgW, instantW, null, sm, mc, temp, b.limitW);
  }

  /** Not an NVML code: the driver's library lacks the function. */
  static final int MISSING = -1;

  /**
   * Whether a failed read is worth trying again on this GPU: not when the function is missing, not
   * supported or not permitted; a lost GPU is marked lost. Other errors (a timeout) may pass.
   */
  private static boolean keep(Buffers b, int rc) {
    if (rc == NvmlLibrary.ERROR_GPU_IS_LOST) {
      b.lost = true;
      return true;
    }
    return !(rc == MISSING || rc == NvmlLibrary.ERROR_FUNCTION_NOT_FOUND || rc == NvmlLibrary.ERROR_NOT_SUPPORTED
        || rc == NvmlLibrary.ERROR_NO_PERMISSION);
  }

  private static int clock(NvmlLibrary n, com.sun.jna.Pointer h, int type, Buffers b) {
    try {
      return n.nvmlDeviceGetClockInfo(h, type, b.i);
    } catch (UnsatisfiedLinkError e) {
      return MISSING;
    }
  }

  /** Watts from one {@code nvmlFieldValue_t} at {@code off} holding milliwatts, or null if it failed. */
  private static @Nullable Double fieldWatts(Memory f, long off) {
    if (f.getInt(off + 28) != 0) {
      return null;
    }
    return fieldLong(f.getInt(off + 24), f.getLong(off + 32)) / 1000.0;
  }

  /** The union of an {@code nvmlFieldValue_t}, as an integer, per its {@code valueType}. */
  static long fieldLong(int valueType, long value) {
    return switch (valueType) {
      case 0 -> (long) Double.longBitsToDouble(value);
      case 1 -> value & 0xFFFF_FFFFL; // unsigned int in the union's low 4 bytes (little-endian)
      case 5 -> (int) value;
      case 6 -> value & 0xFFFFL;
      default -> value;
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
