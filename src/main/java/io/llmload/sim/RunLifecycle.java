package io.llmload.sim;

import io.llmload.collector.CollectorConfig;
import io.llmload.collector.CollectorSession;
import io.llmload.collector.RemoteCollector;
import io.llmload.config.Params;
import io.llmload.metrics.LiveMetricsSession;
import io.llmload.metrics.MetricsOptions;
import io.llmload.gate.GateHook;
import io.llmload.gate.SummaryFiles;
import io.llmload.record.Phase;
import io.llmload.record.RunContext;
import io.llmload.record.RunRecorder;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.RunJson;
import io.llmload.collector.runfolder.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens around the load: before it, the collector, run.json and the live console; after it,
 * the records closed, the hardware pulled, the aggregation, the TPOT objectives and the gate. Every
 * setting the end of the run needs is checked when this is prepared, before any load.
 */
final class RunLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

  final RunRecorder recorder;
  final RunContext context;
  private final Duration consolePeriod;
  private final CollectorConfig collectorConfig;
  private final CollectorConfig.Placement placement;
  private final ReportOptions reportOptions;
  private final TpotObjectives tpotObjectives = new TpotObjectives();
  private final List<Object> assertions = new ArrayList<>();
  private final long constructedEpochUs = nowUs();
  private @Nullable CollectorSession collector;
  private @Nullable LiveConsole console;
  private @Nullable Duration refreshPeriod;
  private @Nullable ScheduledExecutorService refresher;
  private long startEpochUs;
  private long endEpochUs;
  private final io.llmload.load.Shards shards;
  private final @Nullable Long startAtMs;
  private Duration holdLead = Duration.ZERO;
  private long startedEpochUs;
  private @Nullable LiveMetricsSession metrics;

  private RunLifecycle(RunRecorder recorder, Duration consolePeriod, CollectorConfig collectorConfig,
      CollectorConfig.Placement placement, ReportOptions reportOptions, io.llmload.load.Shards shards,
      @Nullable Long startAtMs) {
    this.recorder = recorder;
    this.shards = shards;
    this.startAtMs = startAtMs;
    if (shards.split()) recorder.shard(shards.label());
    this.context = new RunContext(recorder);
    this.consolePeriod = consolePeriod;
    this.collectorConfig = collectorConfig;
    this.placement = placement;
    this.reportOptions = reportOptions;
  }

  /** Checks the console, collector, report and gate settings, then opens the records' staging folder. */
  static RunLifecycle prepare(Params params, Class<?> simulationClass, String targetUrl, io.llmload.load.Shards shards,
      @Nullable Long startAtMs) {
    String simulation = simulationClass.getName();
    Duration consolePeriod = params.duration("console.period", Duration.ofSeconds(5));
    MetricsOptions metricsOptions = MetricsOptions.from(params);
    CollectorConfig collectorConfig;
    ReportOptions reportOptions;
    try {
      collectorConfig = CollectorConfig.fromSystemProperties();
      reportOptions = ReportOptions.fromSystemProperties();
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    CollectorConfig.Placement placement = collectorConfig.placement(java.net.URI.create(targetUrl));
    params.note("collector", placement.name().toLowerCase(Locale.ROOT));
    String baseline = params.string("baseline");
    if (baseline != null) {
      try {
        // Checked now, not when the gate runs after the load: a wrong baseline must not cost a run.
        io.llmload.gate.GateOptions gate = io.llmload.gate.GateOptions.fromSystemProperties();
        String of = SummaryFiles.read(Path.of(baseline), "baseline").path(SummaryJson.RUN).path(SummaryJson.Run.SIMULATION).asText(null);
        if (of != null && !of.equals(simulation) && !gate.force()) {
          throw new IllegalArgumentException("baseline: " + baseline + " is a run of " + of + ", not "
              + simulation + " (pass -Dgate.force=true to compare anyway)");
        }
      } catch (RuntimeException e) {
        throw params.invalid(e.getMessage());
      }
    }
    if (params.string("updateBaseline") != null) {
      params.bool("updateBaseline.force", false); // validated now: a bad value must not cost a run
    }
    RunRecorder recorder;
    try {
      Path results = Path.of(System.getProperty("llmload.resultsDir", "gatling-reports"));
      recorder = new RunRecorder(results, simulation);
    } catch (IOException e) {
      throw params.invalid("llmload.resultsDir: cannot write run files (" + e.getMessage() + ")");
    }
    RunLifecycle l = new RunLifecycle(recorder, consolePeriod, collectorConfig, placement, reportOptions, shards, startAtMs);
    l.startMetrics(params, metricsOptions, simulationClass);
    return l;
  }

  /** The live metrics -Dmetrics.port or -Dmetrics.remoteWrite ask for; a port in use ends here, before load. */
  private void startMetrics(Params params, @Nullable MetricsOptions options, Class<?> simulation) {
    if (options == null) return;
    try {
      LiveMetricsSession s = LiveMetricsSession.start(options, simulation, shards.split() ? shards.label() : null, context.live());
      recorder.tap(s::observe);
      metrics = s;
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
  }

  /** How much before {@code -DstartAt} the hold ends (an open model's pacer waits the rest). */
  void holdLead(Duration lead) {
    holdLead = lead;
  }

  void refreshSummaryEvery(Duration period) {
    refreshPeriod = period;
  }

  /** Keeps every TPOT of {@code request} for a percentile objective checked after the run. */
  void tpotObjective(String request, int percentile, double boundMs) {
    context.keepTpot(request);
    tpotObjectives.add(request, percentile, boundMs);
  }

  /** An objective as Gatling's assertion asks it, for run.json's {@code assertions} (a merge judges them again). */
  void assertion(java.util.Map<String, Object> described) {
    assertions.add(described);
  }

  /** @param describe fills the simulation's own fields of run.json (it is rewritten at the end) */
  void before(List<PlannedPhase> plan, Consumer<RunJson> describe) {
    if (startAtMs != null) {
      LOG.info("shard {}: holding until {}", shards.label(), java.time.Instant.ofEpochMilli(startAtMs));
      try {
        io.llmload.load.StartAt.holdUntil(startAtMs - holdLead.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    startEpochUs = nowUs();
    startedEpochUs = startEpochUs;
    List<Phase> relative = new ArrayList<>();
    for (PlannedPhase p : plan) {
      long s = p.offset().toNanos() / 1000;
      long e = s + p.length().toNanos() / 1000;
      relative.add(new Phase(p.name(), p.level(), s, e, s + p.warmup().toNanos() / 1000));
    }
    context.plan(relative);
    if (metrics != null) metrics.prepare(relative);
    // An open model's pacer waits for startAt to the nanosecond, so its phases count from there.
    // A closed model's levels run on Gatling's own timeline, which begins when Gatling starts
    // injecting, a second or two after the hold on a busy machine: its phases count from its first
    // user, as in a single run, and the merge bounds the spread of the shards' actual starts.
    if (startAtMs != null && !holdLead.isZero()) context.fixStart(startAtMs * 1000);
    if (placement == CollectorConfig.Placement.IN_PROCESS) {
      // Samples go to staging until Gatling creates the run folder, then follow the records.
      CollectorSession session = CollectorSession.start(collectorConfig, FileNames.hardware(recorder.staging()));
      collector = session;
      if (metrics != null) metrics.addGpu(session.gpuGauges());
      recorder.whenLocated(folder -> session.moveTo(FileNames.hardware(folder)));
    }
    writeRunJson(false, describe);
    if (!consolePeriod.isZero()) {
      console = new LiveConsole(context, consolePeriod, System.out);
    }
    if (refreshPeriod != null) {
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-summary-refresh");
        t.setDaemon(true);
        return t;
      });
      long ms = refreshPeriod.toMillis();
      refresher.scheduleWithFixedDelay(this::refreshSummary, ms, ms, TimeUnit.MILLISECONDS);
    }
    // Gatling stamps its run folder right after before() returns: arm the locator last.
    recorder.armLocator(System.currentTimeMillis());
  }

  /** Ends the run; nothing here may throw (an exception in after() would cost Gatling's HTML report). */
  void after(Consumer<RunJson> describe, Runnable closeTarget) {
    try {
      finish(describe, closeTarget);
    } finally {
      if (metrics != null) metrics.close();
    }
  }

  private void finish(Consumer<RunJson> describe, Runnable closeTarget) {
    long end = nowUs();
    context.over(); // users still looping (maxDuration) must not hammer a target that is going away
    if (console != null) console.close();
    if (refresher != null) refresher.shutdownNow();
    Path folder = recorder.awaitRunFolder(10_000);
    recorder.close();
    endEpochUs = end;
    if (collector != null) {
      collector.close();
    }
    writeRunJson(true, describe);
    closeTarget.run();
    if (folder == null) {
      LOG.error("run folder not found; records are in {}", recorder.staging());
      return;
    }
    LOG.info("run folder: {} ({} requests recorded)", folder, recorder.written());
    if (placement == CollectorConfig.Placement.REMOTE) {
      var pulled = RemoteCollector.pull(collectorConfig.url(), startEpochUs / 1000, end / 1000, FileNames.hardware(folder));
      if (pulled.error() != null) LOG.warn("remote collector: {}", pulled.error());
    }
    try {
      Aggregator.aggregate(List.of(folder), folder, reportOptions);
      LOG.info("report: {}", folder.resolve(FileNames.REPORT_HTML));
    } catch (IOException | RuntimeException e) {
      LOG.error("aggregation failed: {}", e.toString());
    }
    if (!tpotObjectives.isEmpty() && !tpotObjectives.evaluate(context, System.out)) {
      GateHook.exitWithAtShutdown(io.llmload.gate.ExitCodes.REGRESSED, System.out);
    }
    GateHook.afterRun(folder);
  }

  /** A snapshot of a run still going on: marked incomplete by run.json, redone at the end. */
  private void refreshSummary() {
    Path folder = recorder.runFolder();
    if (folder == null) return;
    try {
      Aggregator.aggregate(List.of(folder), folder, reportOptions);
      LOG.info("summary refreshed: {}", folder.resolve(FileNames.REPORT_HTML));
    } catch (IOException | RuntimeException e) {
      LOG.warn("summary refresh failed: {}", e.toString());
    }
  }

  private void writeRunJson(boolean complete, Consumer<RunJson> describe) {
    RunJson run = new RunJson();
    describe.accept(run);
    Path folder = recorder.runFolder();
    run.put("run_folder", folder == null ? null : folder.getFileName().toString());
    long anchor = context.anchorUs();
    run.put("start_epoch_us", anchor != 0 ? anchor : startEpochUs != 0 ? startEpochUs : constructedEpochUs);
    run.put("end_epoch_us", complete ? endEpochUs : null);
    List<Object> ph = new ArrayList<>();
    for (Phase p : context.phases()) {
      ph.add(RunJson.phase(p.name(), p.level(), p.startEpochUs(), p.endEpochUs(), p.warmupEndEpochUs()));
    }
    run.put("phases", ph);
    long first = context.firstInjectionUs();
    // a paced open model starts before the common instant and waits for it: it started at the instant
    if (first != 0 && startAtMs != null) first = Math.max(first, startAtMs * 1000);
    run.put("shard", ShardFacts.of(shards, startAtMs, startedEpochUs, first));
    if (!assertions.isEmpty()) run.put("assertions", assertions);
    run.put("complete", complete);
    try {
      recorder.writeFile(FileNames.RUN, run.toBytes());
    } catch (IOException e) {
      LOG.error("cannot write run.json: {}", e.getMessage());
    }
  }

  private static long nowUs() {
    return io.llmload.record.Epoch.nowUs();
  }
}
