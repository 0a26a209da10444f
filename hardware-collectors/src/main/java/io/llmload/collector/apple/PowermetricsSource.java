package io.llmload.collector.apple;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Apple silicon GPU use, frequency and power through one long-running {@code powermetrics --samplers
 * gpu_power -i N} child (needs root, e.g. a sudoers entry). No energy counter: the aggregator
 * integrates power.
 */
public final class PowermetricsSource implements Source {

  private final long periodMs;
  private final @Nullable String toolPath;
  private final Clock clock;
  private final String osName;
  private @Nullable Process process;
  private volatile @Nullable String failure;
  private volatile boolean closing;
  private volatile long samples;

  public PowermetricsSource(long periodMs, @Nullable String toolPath, Clock clock, String osName) {
    this.periodMs = Math.max(100, periodMs);
    this.toolPath = toolPath;
    this.clock = clock;
    this.osName = osName;
  }

  @Override
  public String name() {
    return "powermetrics";
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
    if (!osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      throw new UnsupportedSourceException("powermetrics is macOS-only");
    }
    Path exe = Tools.find("powermetrics", toolPath != null ? toolPath : "/usr/bin:" + System.getenv("PATH"));
    if (exe == null) {
      throw new UnsupportedSourceException("powermetrics not found");
    }
    Process p = Tools.builder(List.of(exe.toString(), "--samplers", "gpu_power", "-i", Long.toString(periodMs)))
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    process = p;
    Thread t = new Thread(() -> read(p, sink), "llmload-collector-powermetrics");
    t.setDaemon(true);
    t.start();
  }

  private void read(Process p, SampleSink sink) {
    PowermetricsParser parser = new PowermetricsParser();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        GpuSample s = parser.line(line, clock.millis());
        if (s != null) {
          sink.gpu(s);
          samples++;
        }
        if (!line.isBlank()) {
          last = line;
        }
      }
      GpuSample s = parser.finish();
      if (s != null) {
        sink.gpu(s);
        samples++;
      }
    } catch (IOException e) {
      last = String.valueOf(e);
    }
    if (!closing) {
      // e.g. "powermetrics must be invoked as the superuser"
      failure = "powermetrics exited after " + samples + " samples: " + Tools.firstLine(last);
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

  @Override
  public void close() {
    closing = true;
    Process p = process;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(1, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
