package io.llmload.collector;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The standalone collector for a GPU host: samples into {@code --out} and serves the samples over HTTP
 * for {@link RemoteCollector#pull}. {@code java -jar target/hardware-collector.jar --help}.
 */
public final class CollectorMain {

  static final String USAGE =
      """
      Usage: java -jar hardware-collector.jar [options]
        --port N             HTTP port (default 9464)
        --bind ADDR          address to listen on (default 127.0.0.1; use 0.0.0.0 to serve other hosts)
        --out DIR            folder for gpu.csv, host.csv, process.csv, server-metrics.jsonl (default collector-out)
        --process P          inference-server processes: name/command-line regex, or PIDs (1234,5678)
        --metrics URLS       inference server Prometheus endpoints, comma-separated (http://127.0.0.1:8000/metrics)
        --dcgm URL           DCGM exporter endpoint (http://127.0.0.1:9400/metrics)
        --fast-period D      power/utilisation period (default 100ms)
        --energy-period D    NVML energy-counter period (default 500ms)
        --host-period D      host/process period (default 1s)
        --scrape-period D    Prometheus scrape period (default 1s)
        --nvml PATH          NVML library to load (default libnvidia-ml.so.1)
        --duration D         stop after D (default: run until interrupted)
        --help               this text
      Endpoints: GET /time (header X-Collector-Epoch-Us), GET /samples?from=<epoch_ms>&to=<epoch_ms>, GET /status
      """;

  private CollectorMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the collector until {@code --duration} ends or the JVM is interrupted; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Properties p = new Properties();
    int port = 9464;
    String bind = "127.0.0.1";
    Path dir = Path.of("collector-out");
    Long durationMs = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if ("--help".equals(a) || "-h".equals(a)) {
          out.print(USAGE);
          return 0;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + ": missing value (see --help)");
        }
        String v = args[++i];
        switch (a) {
          case "--port" -> port = port(v);
          case "--bind" -> bind = v;
          case "--out" -> dir = Path.of(v);
          case "--process" -> p.setProperty("collector.process", v);
          case "--metrics" -> p.setProperty("collector.metrics", v);
          case "--dcgm" -> p.setProperty("collector.dcgm", v);
          case "--fast-period" -> p.setProperty("collector.fastPeriod", v);
          case "--energy-period" -> p.setProperty("collector.energyPeriod", v);
          case "--host-period" -> p.setProperty("collector.hostPeriod", v);
          case "--scrape-period" -> p.setProperty("collector.scrapePeriod", v);
          case "--nvml" -> p.setProperty("collector.nvml", v);
          case "--duration" -> durationMs = CollectorConfig.parseDuration("--duration", v).toMillis();
          default -> throw new IllegalArgumentException(a + ": unknown option (see --help)");
        }
      }
      CollectorConfig cfg = CollectorConfig.fromProperties(p).withMode(CollectorConfig.Mode.ON);
      return serve(cfg, dir, bind, port, durationMs, out);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println("cannot listen on " + bind + ":" + port + ": " + e.getMessage());
      return 1;
    }
  }

  private static int serve(CollectorConfig cfg, Path dir, String bind, int port, Long durationMs, PrintStream out)
      throws java.io.IOException {
    CollectorSession session = CollectorSession.start(cfg, dir);
    CollectorServer server;
    try {
      server = CollectorServer.start(session, bind, port);
    } catch (java.io.IOException e) {
      session.close();
      throw e;
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      session.close();
      done.countDown();
    }, "llmload-collector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(Locale.ROOT, "hardware collector: writing %s, serving http://%s:%d/%n", dir.toAbsolutePath(), bind,
        server.port());
    out.flush();
    try {
      if (durationMs != null) {
        done.await(durationMs, TimeUnit.MILLISECONDS);
      } else {
        done.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return 0; // the JVM is shutting down: the hook closes everything
    }
    server.close();
    session.close();
    for (SourceStatus s : session.statuses()) {
      out.printf(Locale.ROOT, "  %-13s %-11s %s%n", s.name(), s.status(), s.reason() == null ? "" : s.reason());
    }
    return 0;
  }

  private static int port(String v) {
    try {
      int p = Integer.parseInt(v);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException("--port: expected 0 to 65535, got '" + v + "'");
  }
}
