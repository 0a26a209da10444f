package io.llmload.collector.amd;

import io.llmload.collector.GpuSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import io.llmload.collector.Tools;
import io.llmload.collector.UnsupportedSourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * AMD GPUs through {@code amd-smi} (or the older {@code rocm-smi}) in JSON, one run per sample. Both are
 * Python programs that take a noticeable fraction of a second of CPU to start, so this source samples at
 * 2 s at the fastest.
 */
public final class AmdSmiSource implements Source {

  private static final long MIN_PERIOD_MS = 2_000;

  private final long periodMs;
  private final @Nullable String toolPath;
  private final Clock clock;
  private @Nullable List<String> command;
  private boolean rocm;
  private @Nullable SampleSink sink;
  private long samples;

  public AmdSmiSource(long periodMs, @Nullable String toolPath, Clock clock) {
    this.periodMs = Math.max(MIN_PERIOD_MS, periodMs);
    this.toolPath = toolPath;
    this.clock = clock;
  }

  @Override
  public String name() {
    return rocm ? "rocm-smi" : "amd-smi";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    Path amd = Tools.find("amd-smi", toolPath);
    Path rsmi = amd == null ? Tools.find("rocm-smi", toolPath) : null;
    if (amd == null && rsmi == null) {
      throw new UnsupportedSourceException("neither amd-smi nor rocm-smi found on PATH");
    }
    rocm = amd == null;
    command = rocm
        ? List.of(rsmi.toString(), "--showuse", "--showpower", "--showmeminfo", "vram", "--showtemp", "--json")
        : List.of(amd.toString(), "metric", "--usage", "--power", "--mem-usage", "--json");
    this.sink = sink;
    List<GpuSample> first = sample();
    if (first.isEmpty()) {
      throw new UnsupportedSourceException(name() + " reported no GPU");
    }
    emit(first);
  }

  @Override
  public void poll() throws IOException {
    emit(sample());
  }

  private List<GpuSample> sample() throws IOException {
    List<String> cmd = command;
    if (cmd == null) {
      return new ArrayList<>();
    }
    long now = clock.millis();
    Tools.Output out = Tools.run(cmd, Math.max(5_000, periodMs));
    if (out.exitCode() != 0) {
      throw new IOException(name() + " exited with " + out.exitCode() + ": " + Tools.firstLine(out.stderr()));
    }
    return rocm ? AmdSmiParser.rocmSmi(out.stdout(), now) : AmdSmiParser.amdSmi(out.stdout(), now);
  }

  private void emit(List<GpuSample> rows) {
    SampleSink s = sink;
    if (s == null) {
      return;
    }
    for (GpuSample g : rows) {
      s.gpu(g);
      samples++;
    }
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void close() {}
}
