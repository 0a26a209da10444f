package io.llmload.collector;

import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.collector.amd.AmdSmiSource;
import io.llmload.collector.apple.PowermetricsSource;
import io.llmload.collector.host.HostSource;
import io.llmload.collector.host.ProcessSource;
import io.llmload.collector.nvml.NvmlEnergySource;
import io.llmload.collector.nvml.NvmlGpus;
import io.llmload.collector.nvml.NvmlSource;
import io.llmload.collector.prom.PrometheusSource;
import io.llmload.collector.smi.NvidiaSmiSource;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The hardware collector running in this process for one run. {@link #start} returns at once: sources
 * open on a background thread and each then samples on its own daemon thread, writing into the staging
 * folder; {@link #moveTo} moves the files into the run's {@code hardware/} folder once Gatling has
 * created it, and sampling goes on there. Nothing here throws for a source problem: a source that cannot
 * run is recorded as unsupported or failed in {@code collector.json}, and the load test goes on.
 *
 * <pre>{@code
 * CollectorSession s = CollectorSession.start(CollectorConfig.fromSystemProperties(), staging); // before()
 * s.moveTo(runFolder.resolve("hardware"));                                                     // when known
 * s.close();                                                                                   // after()
 * }</pre>
 */
public final class CollectorSession implements AutoCloseable {

  /** Created on first use: a cold ObjectMapper takes a second on a busy machine, which start() must not pay. */
  private static final class Holder {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final System.Logger LOG = System.getLogger(CollectorSession.class.getName());
  }
  static final String COLLECTOR_JSON = FileNames.COLLECTOR_JSON;
  private static final long OPEN_WAIT_MS = 3_000;
  private static final long STOP_WAIT_MS = 2_000;

  private final CollectorConfig cfg;
  private final RunFiles files;
  private final long startEpochMs;
  private final List<SourceRunner> runners = new CopyOnWriteArrayList<>();
  private final List<SourceStatus> extra = new CopyOnWriteArrayList<>();
  private final Thread opener;
  private final Object startLock = new Object();
  private volatile boolean closing;
  private volatile @Nullable Long endEpochMs;
  private volatile String host = "unknown";
  private @Nullable ProcessSource processSource;
  private final @Nullable GpuSelection selection;
  private volatile @Nullable NvmlGpus nvmlGpus;

  private CollectorSession(CollectorConfig cfg, Path stagingDir) {
    this.cfg = cfg;
    this.files = new RunFiles(stagingDir);
    this.selection = cfg.gpus().isEmpty() ? null : new GpuSelection(files, cfg.gpus());
    this.startEpochMs = cfg.clock().millis();
    this.opener = new Thread(this::openSources, SourceRunner.THREAD_PREFIX + "open");
    opener.setDaemon(true);
  }

  /**
   * Starts collecting into {@code stagingDir} (created if needed). Returns at once; never throws for a
   * source or file problem.
   */
  public static CollectorSession start(CollectorConfig cfg, Path stagingDir) {
    CollectorSession s = new CollectorSession(cfg, stagingDir);
    s.opener.start();
    return s;
  }

  /** The sources in the order they are opened. */
  private List<Source> plan() {
    long fast = cfg.fastPeriod().toMillis();
    List<Source> list = new ArrayList<>();
    list.add(new HostSource(cfg.hostPeriod().toMillis(), cfg.clock(), cfg.powercapRoot()));
    processSource = new ProcessSource(cfg.hostPeriod().toMillis(), cfg.clock(), cfg.processPids(),
        cfg.processPattern());
    list.add(processSource);
    for (URI m : cfg.metrics()) {
      list.add(new PrometheusSource("server", m, cfg.scrapePeriod().toMillis(), cfg.clock()));
    }
    if (cfg.dcgm() != null) {
      list.add(new PrometheusSource("dcgm", cfg.dcgm(), cfg.scrapePeriod().toMillis(), cfg.clock()));
    }
    // Without -Dcollector.gpus, the server's GPUs when a server process is watched.
    java.util.function.Supplier<java.util.Set<Integer>> pids = null;
    if (cfg.gpus().isEmpty() && cfg.process() != null) {
      pids = () -> {
        java.util.Set<Integer> s = new java.util.TreeSet<>();
        if (cfg.processPids() != null) s.addAll(cfg.processPids());
        s.addAll(ProcessSource.pidsMatching(cfg.processPattern(), ProcessHandle.current().pid()));
        return s;
      };
    }
    NvmlGpus nvml = new NvmlGpus(cfg.nvmlLibrary(), pids);
    this.nvmlGpus = nvml;
    // NVML failing mid-run (decided at start, the fallback would never run): nvidia-smi takes over.
    nvml.onFailure(() -> startLater(new NvidiaSmiSource(fast, cfg.toolPath(), cfg.clock(), () -> false)));
    list.add(new NvmlSource(nvml, fast, cfg.clock()));
    list.add(new NvmlEnergySource(nvml, cfg.energyPeriod().toMillis(), cfg.clock()));
    list.add(new NvidiaSmiSource(fast, cfg.toolPath(), cfg.clock(), nvml::available));
    list.add(new AmdSmiSource(fast, cfg.toolPath(), cfg.clock()));
    list.add(new PowermetricsSource(fast, cfg.toolPath(), cfg.clock(), System.getProperty("os.name", "")));
    return list;
  }

  private void startLater(Source src) {
    Thread t = new Thread(() -> {
      synchronized (startLock) {
        if (closing) {
          return;
        }
        Holder.LOG.log(Level.WARNING, "hardware collector: NVML failed mid-run; " + src.name() + " takes over");
        SourceRunner r = new SourceRunner(src);
        runners.add(r);
        r.start(selection != null ? selection : files);
      }
    }, SourceRunner.THREAD_PREFIX + "takeover");
    t.setDaemon(true);
    t.start();
  }

  private void openSources() {
    host = CollectorJson.hostName();
    try {
      for (Source src : plan()) {
        synchronized (startLock) {
          if (closing) {
            break;
          }
          SourceRunner r = new SourceRunner(src);
          runners.add(r);
          r.start(selection != null ? selection : files);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      Holder.LOG.log(Level.WARNING, "hardware collector: cannot start sources: " + e);
      extra.add(new SourceStatus("collector", SourceStatus.FAILED, "cannot start sources: " + e, 0, null, 0, 0));
    }
  }

  /** The folder the files are being written to now. */
  public Path directory() {
    return files.dir();
  }

  /** The collector clock's time at start. */
  public long startEpochMs() {
    return startEpochMs;
  }

  /**
   * Moves the files written so far into {@code hardwareDir} and continues writing there. Thread-safe; may
   * be called at any time, also after {@link #close()} (then {@code collector.json} moves too). Every line
   * ends up in exactly one place. Never throws for a file problem (it is logged).
   */
  public synchronized void moveTo(Path hardwareDir) {
    Path old = files.dir();
    files.moveTo(hardwareDir);
    Path json = old.resolve(COLLECTOR_JSON);
    try {
      if (Files.exists(json) && !old.equals(hardwareDir)) {
        Files.createDirectories(hardwareDir);
        Files.move(json, hardwareDir.resolve(COLLECTOR_JSON), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Holder.LOG.log(Level.WARNING, "hardware collector: cannot move " + json + ": " + e);
    }
    deleteIfEmpty(old);
  }

  private static void deleteIfEmpty(Path dir) {
    try (var s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException e) {
      // a staging folder left behind is harmless
    }
  }

  /** The latest GPU readings, for a Prometheus registry (the collector's and the load generator's /metrics). */
  public GpuGauges gpuGauges() {
    return files.gauges;
  }

  /** Status of every source so far. */
  public List<SourceStatus> statuses() {
    List<SourceStatus> out = new ArrayList<>();
    for (SourceRunner r : runners) {
      out.add(r.status());
      if (r.source() instanceof HostSource h) {
        out.add(h.raplStatus());
      }
    }
    out.addAll(extra);
    return out;
  }

  /** The processes followed: pid, name, redacted command line. */
  public List<Map<String, Object>> processes() {
    ProcessSource p = processSource;
    return p == null ? List.of() : p.processes();
  }

  String host() {
    return host;
  }

  RunFiles files() {
    return files;
  }

  CollectorConfig config() {
    return cfg;
  }

  /**
   * Stops every source, flushes the files and writes {@code collector.json}. Takes at most about 5 s (3 s
   * for sources still opening, 2 s for polls in progress), usually milliseconds; never throws.
   */
  @Override
  public synchronized void close() {
    synchronized (startLock) {
      if (closing) {
        return;
      }
      closing = true;
    }
    endEpochMs = cfg.clock().millis();
    try {
      opener.join(OPEN_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // runners are added under startLock only while not closing: the list is final from here
    for (SourceRunner r : runners) {
      r.signalStop();
    }
    // one deadline for all: several stalled scrapes must not add up
    long deadline = System.nanoTime() + STOP_WAIT_MS * 1_000_000L;
    for (SourceRunner r : runners) {
      r.awaitAndClose(Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
    }
    List<SourceStatus> st = statuses();
    files.close();
    writeCollectorJson(files.dir(), st);
  }

  private void writeCollectorJson(Path dir, List<SourceStatus> st) {
    try {
      ObjectNode o = collectorJson(st, host, startEpochMs, endEpochMs, null, null);
      ArrayNode procs = o.putArray("processes");
      for (Map<String, Object> p : processes()) {
        procs.add(Holder.JSON.valueToTree(p));
      }
      ObjectNode periods = o.putObject("periods_ms");
      periods.put("fast", cfg.fastPeriod().toMillis());
      periods.put("energy", cfg.energyPeriod().toMillis());
      periods.put("host", cfg.hostPeriod().toMillis());
      periods.put("scrape", cfg.scrapePeriod().toMillis());
      NvmlGpus ng = nvmlGpus;
      if (ng != null && ng.selectionNote() != null) {
        o.putObject("gpu_selection").put("note", ng.selectionNote());
      }
      if (selection != null) {
        ObjectNode g = o.putObject("gpu_selection");
        g.set("chosen", Holder.JSON.valueToTree(cfg.gpus()));
        g.set("sampled", Holder.JSON.valueToTree(new java.util.TreeSet<>(selection.kept)));
        g.set("left_out", Holder.JSON.valueToTree(new java.util.TreeSet<>(selection.dropped)));
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(COLLECTOR_JSON), Holder.JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      Holder.LOG.log(Level.WARNING, "hardware collector: cannot write collector.json in " + dir + ": " + e);
    }
  }

  /** The common part of {@code collector.json}: {@link CollectorJson#common}. */
  static ObjectNode collectorJson(List<SourceStatus> st, String host, long start, @Nullable Long end,
      @Nullable Double offsetMs, @Nullable Double rttMs) {
    return CollectorJson.common(st, host, start, end, offsetMs, rttMs);
  }

  static ObjectMapper json() {
    return Holder.JSON;
  }
}
