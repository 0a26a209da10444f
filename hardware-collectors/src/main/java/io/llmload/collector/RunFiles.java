package io.llmload.collector;

import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample files of {@code hardware/}: a thread-safe sink that can move to another folder at any time. */
final class RunFiles implements SampleSink {

  static final String GPU = FileNames.GPU_CSV;
  static final String HOST = FileNames.HOST_CSV;
  static final String PROCESS = FileNames.PROCESS_CSV;
  static final String METRICS = FileNames.SERVER_METRICS;
  static final List<String> NAMES = List.of(GPU, HOST, PROCESS, METRICS);

  /** Loaded by the first scrape, on a source thread, not by start(). */
  private static final class Json {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  private static final Pattern JSON_EPOCH = Pattern.compile("\"epoch_ms\"\\s*:\\s*(-?\\d+)");

  private final LineFile gpu;
  private final LineFile host;
  private final LineFile process;
  private final LineFile metrics;
  private volatile Path dir;
  private final java.util.Map<String, Long> lastGpuMs = new java.util.HashMap<>();
  /** The latest reading of each GPU, for /metrics. */
  final GpuGauges gauges = new GpuGauges();

  RunFiles(Path dir) {
    this.dir = dir;
    gpu = new LineFile(dir, GPU, GpuSample.HEADER);
    host = new LineFile(dir, HOST, HostSample.HEADER);
    process = new LineFile(dir, PROCESS, ProcessSample.HEADER);
    metrics = new LineFile(dir, METRICS, null);
  }

  Path dir() {
    return dir;
  }

  synchronized void moveTo(Path target) {
    for (LineFile f : files()) {
      f.moveTo(target);
    }
    dir = target;
  }

  /** Lines of one file within [from, to] by their epoch_ms; CSV files start with their header. */
  List<String> window(String name, long from, long to) {
    return switch (name) {
      case GPU -> gpu.window(from, to, RunFiles::csvEpoch);
      case HOST -> host.window(from, to, RunFiles::csvEpoch);
      case PROCESS -> process.window(from, to, RunFiles::csvEpoch);
      case METRICS -> metrics.window(from, to, RunFiles::jsonEpoch);
      default -> throw new IllegalArgumentException("name: unknown hardware file '" + name + "'");
    };
  }

  static long csvEpoch(String line) {
    int c = line.indexOf(',');
    try {
      return Long.parseLong(c < 0 ? line : line.substring(0, c));
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  static long jsonEpoch(String line) {
    Matcher m = JSON_EPOCH.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
  }

  void close() {
    for (LineFile f : files()) {
      f.close();
    }
  }

  private List<LineFile> files() {
    return List.of(gpu, host, process, metrics);
  }

  /**
   * Rows of one GPU get strictly increasing epoch_ms, in file order: NVML's fast and energy threads write
   * the same GPU, and a reader that drops repeated or backward instants (as a de-duplicating aggregator
   * does) would otherwise lose a row that tied in the same millisecond or lost the race to the file. Such
   * a row is stamped 1 ms after the previous one, well inside the 3 to 18 ms an energy read itself takes.
   */
  @Override
  public void gpu(GpuSample sample) {
    String key = sample.gpuUuid() != null ? sample.gpuUuid() : "index-" + sample.gpuIndex();
    synchronized (lastGpuMs) {
      Long last = lastGpuMs.get(key);
      GpuSample s = sample;
      if (last != null && s.epochMs() <= last) {
        s = new GpuSample(last + 1, s.source(), s.gpuIndex(), s.gpuUuid(), s.gpuName(), s.utilGpuPct(),
            s.utilMemPct(), s.memUsedMib(), s.memTotalMib(), s.powerAvgW(), s.powerInstantW(), s.energyMj(),
            s.smClockMhz(), s.memClockMhz(), s.tempC(), s.powerLimitW());
      }
      lastGpuMs.put(key, s.epochMs());
      gpu.append(s.csv());
    }
    gauges.record(sample);
  }

  @Override
  public void host(HostSample sample) {
    host.append(sample.csv());
  }

  @Override
  public void process(ProcessSample sample) {
    process.append(sample.csv());
  }

  @Override
  public void metrics(long epochMs, String source, String url, List<MetricSample> samples) {
    metrics.append(metricsLine(epochMs, source, url, samples));
  }

  static String metricsLine(long epochMs, String source, String url, List<MetricSample> samples) {
    StringWriter sw = new StringWriter(64 + samples.size() * 80);
    try (JsonGenerator g = Json.FACTORY.createGenerator(sw)) {
      g.writeStartObject();
      g.writeNumberField("schema", 1);
      g.writeNumberField("epoch_ms", epochMs);
      g.writeStringField("source", source);
      g.writeStringField("url", url);
      g.writeArrayFieldStart("samples");
      for (MetricSample s : samples) {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : s.labels().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeFieldName("value");
        if (Double.isFinite(s.value())) {
          g.writeNumber(s.value());
        } else {
          g.writeNull();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }
}
