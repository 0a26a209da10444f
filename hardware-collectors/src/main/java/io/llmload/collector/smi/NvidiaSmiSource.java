package io.llmload.collector.smi;

import io.llmload.collector.GpuSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import io.llmload.collector.Tools;
import io.llmload.collector.UnsupportedSourceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * NVIDIA GPUs through one long-running {@code nvidia-smi --query-gpu=... -lms N} child, parsed line by
 * line as it prints (forking per sample costs ~30 ms each). Used where NVML cannot be loaded. It has no
 * energy counter; the aggregator integrates power. If the child dies, the source reports it as failed
 * and keeps the rows it had.
 */
public final class NvidiaSmiSource implements Source {

  private static final long FIRST_LINE_WAIT_MS = 5_000;

  private final long periodMs;
  private final @Nullable String toolPath;
  private final Clock clock;
  private final BooleanSupplier nvmlRunning;
  private @Nullable Process process;
  private @Nullable Thread reader;
  private volatile @Nullable String failure;
  private volatile boolean closing;
  private volatile long samples;

  /**
   * @param nvmlRunning true when NVML already samples the GPUs, and this fallback is not needed
   */
  public NvidiaSmiSource(long periodMs, @Nullable String toolPath, Clock clock, BooleanSupplier nvmlRunning) {
    this.periodMs = periodMs;
    this.toolPath = toolPath;
    this.clock = clock;
    this.nvmlRunning = nvmlRunning;
  }

  @Override
  public String name() {
    return "nvidia-smi";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public boolean selfDriven() {
    return true;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    if (nvmlRunning.getAsBoolean()) {
      throw new UnsupportedSourceException("not needed: nvml is sampling the GPUs");
    }
    Path exe = Tools.find("nvidia-smi", toolPath);
    if (exe == null) {
      throw new UnsupportedSourceException("nvidia-smi not found on PATH");
    }
    String first = start(exe, NvidiaSmiParser.FIELDS, sink);
    if (first != null && first.contains("not a valid field")) {
      stopProcess();
      first = start(exe, NvidiaSmiParser.LEGACY_FIELDS, sink);
    }
    if (first != null) {
      stopProcess();
      throw new UnsupportedSourceException("nvidia-smi: " + first);
    }
  }

  /** Starts the loop; returns null once a data row arrived (or none came yet), else the error it printed. */
  private @Nullable String start(Path exe, List<String> fields, SampleSink sink)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.add("--query-gpu=" + String.join(",", fields));
    cmd.add("--format=csv,noheader,nounits");
    cmd.add("-lms");
    cmd.add(Long.toString(periodMs));
    ProcessBuilder pb = Tools.builder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    process = p;
    failure = null;
    NvidiaSmiParser parser = new NvidiaSmiParser(fields, ZoneId.systemDefault());
    CompletableFuture<@Nullable String> firstResult = new CompletableFuture<>();
    Thread t = new Thread(() -> read(p, parser, sink, firstResult), "llmload-collector-nvidia-smi");
    t.setDaemon(true);
    t.start();
    reader = t;
    try {
      return firstResult.get(FIRST_LINE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null; // slow to print is not an error; the reader goes on
    } catch (InterruptedException e) {
      stopProcess();
      throw e; // the session closed while nvidia-smi was starting
    } catch (java.util.concurrent.ExecutionException e) {
      return String.valueOf(e.getCause());
    }
  }

  private void read(Process p, NvidiaSmiParser parser, SampleSink sink, CompletableFuture<@Nullable String> first) {
    String lastNoise = null;
    long rows = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        long now = clock.millis();
        GpuSample s = parser.parse(line, now, now - System.currentTimeMillis());
        if (s != null) {
          sink.gpu(s);
          rows++;
          samples++;
          first.complete(null);
        } else if (!line.isBlank()) {
          lastNoise = Tools.firstLine(line);
          if (rows == 0) {
            first.complete(lastNoise);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      lastNoise = String.valueOf(e);
    }
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    String why = "nvidia-smi exited with code " + code + " after " + rows + " rows"
        + (lastNoise == null ? "" : ": " + lastNoise);
    first.complete(rows == 0 ? (lastNoise != null ? lastNoise : why) : null);
    if (!closing) {
      failure = why;
    }
  }

  @Override
  public void poll() {}

  @Override
  public @Nullable String failure() {
    return failure;
  }

  @Override
  public long samples() {
    return samples;
  }

  private void stopProcess() {
    Process p = process;
    Thread t = reader;
    process = null;
    reader = null;
    if (p != null) {
      closing = true;
      p.destroy();
      try {
        if (!p.waitFor(1, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        if (t != null) {
          t.join(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closing = false;
    }
  }

  @Override
  public void close() {
    closing = true;
    Process p = process;
    Thread t = reader;
    process = null;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(1, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        if (t != null) {
          t.join(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
