package io.llmload.collector;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The latest GPU reading of each device as Prometheus families (power, utilisation, memory, the
 * energy counter), read at scrape time; fed by the run files with every row they write to
 * {@code gpu.csv}. The fast and the slow thread write separate rows, so each field keeps the last
 * row that had it. Labels: {@code gpu} (index) and {@code source} (nvml, nvidia-smi, ...).
 */
public final class GpuGauges {
  public static final String PREFIX = "llm_load_gpu_";
  private static final String[] LABELS = {"gpu", "source"};

  private final Map<List<String>, Double[]> latest = new ConcurrentHashMap<>();
  private static final int POWER = 0, UTIL = 1, MEM = 2, ENERGY = 3, FIELDS = 4;

  void record(GpuSample s) {
    Double[] v = latest.computeIfAbsent(List.of(s.gpuIndex() == null ? "" : s.gpuIndex().toString(), s.source()),
        k -> new Double[FIELDS]);
    Double power = s.powerAvgW() != null ? s.powerAvgW() : s.powerInstantW();
    synchronized (v) {
      if (power != null) v[POWER] = power;
      if (s.utilGpuPct() != null) v[UTIL] = s.utilGpuPct() / 100.0;
      if (s.memUsedMib() != null) v[MEM] = s.memUsedMib() * 1024 * 1024;
      if (s.energyMj() != null) v[ENERGY] = s.energyMj() / 1000.0;
    }
  }

  /** Adds the families to {@code registry}; values are read when it is scraped. */
  public void register(PrometheusRegistry registry) {
    gauge(registry, "power_watts", "GPU board power (the device's average where it reports one)", new Unit("watts"), POWER);
    gauge(registry, "utilization_ratio", "GPU utilisation, 0 to 1", Unit.RATIO, UTIL);
    gauge(registry, "memory_used_bytes", "GPU memory in use", Unit.BYTES, MEM);
    CounterWithCallback.builder().name(PREFIX + "energy_joules").unit(Unit.JOULES)
        .help("The device's cumulative energy counter (since driver load)").labelNames(LABELS)
        .callback(cb -> each(ENERGY, (k, x) -> cb.call(x, k.get(0), k.get(1)))).register(registry);
  }

  private void gauge(PrometheusRegistry registry, String name, String help, Unit unit, int field) {
    GaugeWithCallback.builder().name(PREFIX + name).unit(unit).help(help).labelNames(LABELS)
        .callback(cb -> each(field, (k, x) -> cb.call(x, k.get(0), k.get(1)))).register(registry);
  }

  private void each(int field, java.util.function.BiConsumer<List<String>, Double> out) {
    latest.forEach((k, v) -> {
      @Nullable Double x;
      synchronized (v) {
        x = v[field];
      }
      if (x != null) out.accept(k, x);
    });
  }
}
