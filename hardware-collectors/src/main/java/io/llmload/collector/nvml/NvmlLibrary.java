package io.llmload.collector.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of {@code libnvidia-ml.so.1} the collector calls, mirroring the C signatures (non-API). Every
 * function returns an {@code nvmlReturn_t}: 0 is success. {@code unsigned} values come back in Java's
 * signed types: read them with {@link Integer#toUnsignedLong} and {@link Long#compareUnsigned}. Structs are
 * passed as preallocated native buffers read at their C offsets, not as JNA {@code Structure}s: no
 * reflection and no allocation on the 10 Hz path.
 */
public interface NvmlLibrary extends Library {

  int SUCCESS = 0;
  int ERROR_NOT_SUPPORTED = 3;
  int ERROR_NO_PERMISSION = 4;
  int ERROR_GPU_IS_LOST = 15;
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

  /** {@code nvmlUtilization_t}: {@code unsigned int gpu} at 0, {@code memory} at 4 (8 bytes). */
  int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

  /**
   * {@code nvmlMemory_v2_t} (40 bytes): {@code unsigned int version} at 0 (set to {@link #MEMORY_V2_VERSION}),
   * then {@code unsigned long long total} at 8, {@code reserved} 16, {@code free} 24, {@code used} 32. Its
   * {@code used} leaves driver-reserved memory out, as nvidia-smi shows it.
   */
  int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

  int nvmlDeviceGetClockInfo(Pointer device, int type, IntByReference mhz);

  int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

  /**
   * {@code count} contiguous {@code nvmlFieldValue_t} of {@value #FIELD_VALUE_SIZE} bytes: {@code fieldId} at 0,
   * {@code scopeId} 4, {@code timestamp} 8, {@code latencyUsec} 16, {@code valueType} 24, {@code nvmlReturn} 28,
   * the value union at 32.
   */
  int nvmlDeviceGetFieldValues(Pointer device, int count, Pointer values);

  int FIELD_VALUE_SIZE = 40;

  /**
   * {@code count} {@code nvmlProcessInfo_t} of {@value #PROCESS_INFO_SIZE} bytes ({@code unsigned int pid}
   * at 0, {@code usedGpuMemory} at 8, instance ids at 16 and 20); {@code count} in: room, out: found
   * (INSUFFICIENT_SIZE, 7, when there are more). The _v3 name on current drivers.
   */
  int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference count, Pointer infos);

  /** The same on drivers before the _v3 name (same 24-byte layout). */
  int nvmlDeviceGetComputeRunningProcesses_v2(Pointer device, IntByReference count, Pointer infos);

  int PROCESS_INFO_SIZE = 24;

  /** {@code currentMode} 1 when the GPU is split into MIG instances (A100, H100 and later). */
  int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);
}
