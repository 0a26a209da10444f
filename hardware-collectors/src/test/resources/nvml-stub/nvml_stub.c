/*
 * A stand-in for libnvidia-ml.so.1, for testing the collector's NVML binding without a GPU. Synthetic:
 * two GPUs; GPU 0 draws a constant 300 W and its energy counter rises accordingly; GPU 1 has no energy
 * counter (as before Volta). Struct layouts and signatures follow nvml.h as recorded in
 * shared/notes/hardware-facts.md section 2; wrong struct versions or sizes are refused as NVML does.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct { int unused; } stub_device;
static stub_device devices[2];
static int init_count = 0;
static double t0 = -1.0;
static const unsigned long long BASE_MJ = 30489056ULL;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int lost = 0;

/* Not NVML: lets a test make every device call fail with NVML_ERROR_GPU_IS_LOST (15), as when a GPU
   falls off the bus mid-run. */
void nvmlStubSetLost(int value) { lost = value; }

static int index_of(void *d) { return d == &devices[0] ? 0 : d == &devices[1] ? 1 : -1; }

static int lost_gpu = -2;
static int no_permission = 0;
static int energy_delay_ms = 0;

/* Not NVML: only GPU `index` falls off the bus (-2: none). */
void nvmlStubSetLostGpu(int index) { lost_gpu = index; }
/* Not NVML: utilisation and temperature reads answer NVML_ERROR_NO_PERMISSION (4), as on a locked-down host. */
void nvmlStubSetNoPermission(int value) { no_permission = value; }
/* Not NVML: each energy read takes this long (real GPUs: 3 to 18 ms). */
void nvmlStubSetEnergyDelayMs(int ms) { energy_delay_ms = ms; }

#define CHECK_LOST() do { if (lost || index_of(d) == lost_gpu) return 15; } while (0)

int nvmlInit_v2(void) {
  init_count++;
  if (t0 < 0) t0 = now_s();
  return 0;
}

int nvmlShutdown(void) {
  if (init_count <= 0) return 1; /* NVML_ERROR_UNINITIALIZED */
  init_count--;
  return 0;
}

const char *nvmlErrorString(int r) { return r == 3 ? "Not Supported" : r == 2 ? "Invalid Argument" : "Stub Error"; }

int nvmlDeviceGetCount_v2(unsigned int *count) {
  if (init_count <= 0) return 1;
  *count = 2;
  return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int i, void **device) {
  if (init_count <= 0) return 1;
  if (i >= 2) return 2;
  *device = &devices[i];
  return 0;
}

int nvmlDeviceGetName(void *d, char *buf, unsigned int len) {
  if (index_of(d) < 0) return 2;
  snprintf(buf, len, "Stub GPU %d", index_of(d));
  return 0;
}

int nvmlDeviceGetUUID(void *d, char *buf, unsigned int len) {
  if (index_of(d) < 0) return 2;
  snprintf(buf, len, "GPU-stub-%d", index_of(d));
  return 0;
}

int nvmlDeviceGetTotalEnergyConsumption(void *d, unsigned long long *mj) {
  CHECK_LOST();
  if (energy_delay_ms > 0) {
    struct timespec pause = {energy_delay_ms / 1000, (energy_delay_ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
  }
  if (index_of(d) != 0) return 3; /* NVML_ERROR_NOT_SUPPORTED */
  *mj = BASE_MJ + (unsigned long long)((now_s() - t0) * 300000.0); /* 300 W = 300 000 mJ/s */
  return 0;
}

int nvmlDeviceGetPowerUsage(void *d, unsigned int *mw) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  *mw = index_of(d) == 0 ? 300000u : 75500u;
  return 0;
}

int nvmlDeviceGetEnforcedPowerLimit(void *d, unsigned int *mw) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  *mw = 700000u;
  return 0;
}

typedef struct { unsigned int gpu; unsigned int memory; } stub_utilization;

int nvmlDeviceGetUtilizationRates(void *d, stub_utilization *u) {
  CHECK_LOST();
  if (no_permission) return 4;
  if (index_of(d) < 0) return 2;
  u->gpu = 42;
  u->memory = 17;
  return 0;
}

typedef struct {
  unsigned int version;
  unsigned long long total, reserved, free, used;
} stub_memory_v2;
_Static_assert(sizeof(stub_memory_v2) == 40, "nvmlMemory_v2_t is 40 bytes");

static int mig_on_gpu = -1;
/* Not NVML: GPU `index` is in MIG mode (-1: none). */
void nvmlStubSetMigGpu(int index) { mig_on_gpu = index; }

int nvmlDeviceGetMigMode(void *d, unsigned int *current, unsigned int *pending) {
  if (index_of(d) < 0) return 2;
  *current = index_of(d) == mig_on_gpu ? 1u : 0u;
  *pending = *current;
  return 0;
}

static int server_pid = 0;
/* Not NVML: GPU 0 runs a compute process with this pid (0: no process on any GPU). */
void nvmlStubSetServerPid(int pid) { server_pid = pid; }

typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId, computeInstanceId;
} stub_process_info;
_Static_assert(sizeof(stub_process_info) == 24, "nvmlProcessInfo_t is 24 bytes");

int nvmlDeviceGetComputeRunningProcesses_v3(void *d, unsigned int *count, stub_process_info *infos) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  unsigned int n = (index_of(d) == 0 && server_pid > 0) ? 1 : 0;
  if (*count < n) { *count = n; return 7; } /* NVML_ERROR_INSUFFICIENT_SIZE */
  *count = n;
  if (n == 1) {
    infos[0].pid = (unsigned int) server_pid;
    infos[0].usedGpuMemory = 1073741824ULL;
    infos[0].gpuInstanceId = 0xFFFFFFFFu;
    infos[0].computeInstanceId = 0xFFFFFFFFu;
  }
  return 0;
}

#ifndef OLD_DRIVER /* drivers before 510 lack the _v2 call, and old ones field values: JNA finds no symbol */
int nvmlDeviceGetMemoryInfo_v2(void *d, stub_memory_v2 *m) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  if (m->version != (40u | (2u << 24))) return 2; /* wrong struct version: NVML refuses it */
  m->total = 85520809984ULL;  /* 81559 MiB */
  m->reserved = 503316480ULL; /* 480 MiB */
  m->used = 1194328064ULL;    /* 1139 MiB */
  m->free = m->total - m->reserved - m->used;
  return 0;
}
#endif

int nvmlDeviceGetClockInfo(void *d, int type, unsigned int *mhz) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  if (type == 1) { *mhz = 1980; return 0; }
  if (type == 2) { *mhz = 2619; return 0; }
  return 2;
}

int nvmlDeviceGetTemperature(void *d, int sensor, unsigned int *c) {
  CHECK_LOST();
  if (no_permission) return 4;
  if (index_of(d) < 0 || sensor != 0) return 2;
  *c = 55;
  return 0;
}

typedef struct {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;
  long long latencyUsec;
  int valueType;
  int nvmlReturn;
  union { double d; unsigned int ui; unsigned long ul; unsigned long long ull; long long sll; int si; } value;
} stub_field_value;
_Static_assert(sizeof(stub_field_value) == 40, "nvmlFieldValue_t is 40 bytes");

#ifndef OLD_DRIVER
int nvmlDeviceGetFieldValues(void *d, int count, stub_field_value *values) {
  CHECK_LOST();
  if (index_of(d) < 0) return 2;
  for (int i = 0; i < count; i++) {
    if (values[i].fieldId == 185 && values[i].scopeId == 0 && index_of(d) == 0) { /* NVML_FI_DEV_POWER_AVERAGE */
      /* 1 W above nvmlDeviceGetPowerUsage, only so the test can tell which call the value came from;
         GPU 1 refuses the field so that the fallback to nvmlDeviceGetPowerUsage is exercised */
      values[i].valueType = 1;
      values[i].value.ull = 301000u;
      values[i].nvmlReturn = 0;
    } else if (values[i].fieldId == 186 && values[i].scopeId == 0) { /* NVML_FI_DEV_POWER_INSTANT */
      values[i].valueType = 1; /* unsigned int */
      /* junk in the union's upper half: only the low unsigned int is the value */
      values[i].value.ull = 0xDEADBEEF00000000ULL | (index_of(d) == 0 ? 312345u : 80000u);
      values[i].nvmlReturn = 0;
    } else {
      values[i].nvmlReturn = 3;
    }
  }
  return 0;
}
#endif
