package io.llmload.collector;

import java.util.List;

/** Where sources put their samples. Thread-safe: every source calls it from its own thread. */
public interface SampleSink {

  void gpu(GpuSample sample);

  void host(HostSample sample);

  void process(ProcessSample sample);

  /**
   * One scrape of one Prometheus endpoint.
   *
   * @param source {@code server} or {@code dcgm}
   */
  void metrics(long epochMs, String source, String url, List<MetricSample> samples);
}
