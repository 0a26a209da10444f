package io.llmload.collector.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of {@code libnvidia-ml.so.1} the collector calls, mirroring the C signatures (non-API). Every
 * function returns an {@code nvmlReturn_t}: 0 is success. {@code unsigned} values come back in Java's
 * signed types: read them with {@link Integer#toUnsignedLong} and {@link Long#compareUnsigned}.
 */
public interface NvmlLibrary extends Library {

  int SUCCESS = 0;
  int ERROR_NOT_SUPPORTED = 3;
  int ERROR_FUNCTION_NOT_FOUND = 13;

  int CLOCK_SM = 1;
  int CLOCK_MEM = 2;
  int TEMPERATURE_GPU = 0;

  /** {@code NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION}, mJ, unsigned long long. */
  int FI_DEV_TOTAL_ENERGY_CONSUMPTION = 83;
  /** {@code NVML_FI_DEV_POWER_AVERAGE}, mW, 1 s average. */
  int FI_DEV_POWER_AVERAGE = 185;
  /** {@code NVML_FI_DEV_POWER_INSTANT}, mW; refreshed every 100 ms on H100. */
  int FI_DEV_POWER_INSTANT = 186;

  /** {@code sizeof(nvmlMemory_v2_t) | 2 << 24}. */
  int MEMORY_V2_VERSION = 40 | (2 << 24);

  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlDeviceGetCount_v2(IntByReference count);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetName(Pointer device, byte[] name, int length);

  int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energyMj);

  int nvmlDeviceGetPowerUsage(Pointer device, IntByReference powerMw);

  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference limitMw);

  int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

  int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);

  int nvmlDeviceGetClockInfo(Pointer device, int type, IntByReference mhz);

  int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

  int nvmlDeviceGetFieldValues(Pointer device, int count, FieldValue[] values);

  /** {@code nvmlUtilization_t}. */
  @Structure.FieldOrder({"gpu", "memory"})
  class Utilization extends Structure {
    public int gpu;
    public int memory;
  }

  /** {@code nvmlMemory_v2_t}: {@code used} excludes driver-reserved memory, as nvidia-smi shows it. */
  @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
  class MemoryV2 extends Structure {
    public int version;
    public long total;
    public long reserved;
    public long free;
    public long used;
  }

  /** {@code nvmlFieldValue_t} (40 bytes); {@code value} is the 8-byte union, read per {@code valueType}. */
  @Structure.FieldOrder({"fieldId", "scopeId", "timestamp", "latencyUsec", "valueType", "nvmlReturn", "value"})
  class FieldValue extends Structure {
    public int fieldId;
    public int scopeId;
    public long timestamp;
    public long latencyUsec;
    public int valueType;
    public int nvmlReturn;
    public long value;
  }
}
