package io.llmload.collector;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the GPU rows of the GPUs chosen with {@code -Dcollector.gpus} (index or UUID) and drops the
 * others, whichever source read them: on an 8-GPU host serving from one, the seven idle GPUs must not
 * inflate energy per token. Remembers the GPUs it dropped, for collector.json.
 */
final class GpuSelection implements SampleSink {
  private final SampleSink next;
  private final List<String> chosen;
  final Set<String> dropped = ConcurrentHashMap.newKeySet();
  final Set<String> kept = ConcurrentHashMap.newKeySet();

  GpuSelection(SampleSink next, List<String> chosen) {
    this.next = next;
    this.chosen = List.copyOf(chosen);
  }

  static boolean matches(List<String> chosen, GpuSample g) {
    for (String c : chosen) {
      if (g.gpuUuid() != null && c.equalsIgnoreCase(g.gpuUuid())) return true;
      if (g.gpuIndex() != null && c.equals(Integer.toString(g.gpuIndex()))) return true;
    }
    return false;
  }

  @Override
  public void gpu(GpuSample sample) {
    String id = sample.gpuUuid() != null ? sample.gpuUuid() : "index " + sample.gpuIndex();
    if (matches(chosen, sample)) {
      kept.add(id);
      next.gpu(sample);
    } else {
      dropped.add(id);
    }
  }

  @Override
  public void host(HostSample sample) {
    next.host(sample);
  }

  @Override
  public void process(ProcessSample sample) {
    next.process(sample);
  }

  @Override
  public void metrics(long epochMs, String source, String url, List<MetricSample> samples) {
    next.metrics(epochMs, source, url, samples);
  }
}
