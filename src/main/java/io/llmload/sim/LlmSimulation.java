package io.llmload.sim;

import static io.gatling.javaapi.core.CoreDsl.details;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import io.llmload.client.ApiKey;
import io.llmload.client.Target;
import io.llmload.collector.CollectorConfig;
import io.llmload.collector.CollectorSession;
import io.llmload.collector.RemoteCollector;
import io.llmload.gate.GateHook;
import io.llmload.gate.SummaryFiles;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import io.llmload.config.Durations;
import io.llmload.config.Params;
import io.llmload.dsl.LlmDsl;
import io.llmload.dsl.LlmProtocolBuilder;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.record.Phase;
import io.llmload.metrics.LiveMetricsSession;
import io.llmload.metrics.MetricsOptions;
import io.llmload.record.RunContext;
import io.llmload.record.RunRecorder;
import io.llmload.wire.Protocol;
import io.llmload.wire.StreamCodec;
import io.llmload.workload.Workload;
import io.llmload.workload.WorkloadContext;
import io.llmload.workload.Workloads;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every suite simulation. It reads and validates the common {@code -D} parameters,
 * starts the embedded emulator when no {@code -Dtarget} is given, checks that the target answers,
 * and records the run: {@code run.json}, {@code requests.jsonl}, then the post-run summary and
 * report. Subclasses declare their scenario, injection and phase plan, nothing else.
 */
public abstract class LlmSimulation extends Simulation {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSimulation.class);
  private static final Pattern SECRET_HEADER =
      Pattern.compile("(?i)authorization|proxy-authorization|cookie|x-api-key|api-key|.*token.*|.*secret.*|.*key.*");
  /** The seeds' prompt. */
  public static final String DEFAULT_PROMPT =
      "Write a Python function to calculate the first 10 numbers in the Fibonacci sequence";

  /** Parameters; an invalid value prints one line and ends the run with exit code 2. */
  protected final Params params = new Params(System.getProperties(), LlmSimulation::exitWith);

  protected final Protocol protocol;
  protected final Target target;
  protected final @Nullable String model;
  protected final int maxTokens;
  protected final String prompt;
  /** This generator's part of the load ({@code -Dshards=N -Dshard=i}); the whole load when not sharded. */
  protected final io.llmload.load.Shards shards;
  private final @Nullable Long startAtMs;
  private long startedEpochUs;
  private Duration holdLead = Duration.ZERO;

  private final @Nullable Emulator emulator;
  private final RunRecorder recorder;
  private final RunContext context;
  private final Map<String, Object> server;
  private final LlmProtocolBuilder protocolBuilder;
  /** What each request asks (prompt, messages, lengths): {@code -Dworkload} and its properties. */
  protected final Workload workload;
  private final CollectorConfig collectorConfig;
  private final CollectorConfig.Placement placement;
  private final ReportOptions reportOptions;
  private @Nullable CollectorSession collector;
  private @Nullable LiveConsole console;
  private final @Nullable LiveMetricsSession metrics;
  private @Nullable Duration refreshPeriod;
  private java.util.concurrent.@Nullable ScheduledExecutorService refresher;
  private final Duration consolePeriod;
  private final List<PlannedPhase> plan = new ArrayList<>();
  private final TpotObjectives tpotObjectives = new TpotObjectives();
  /** False with {@code -Dstream=false}: whole answers, no TTFT, ITL or TPOT. */
  protected final boolean stream;
  private final long constructedEpochUs = nowUs();
  private long startEpochUs;

  protected LlmSimulation() {
    try {
      // first: a wrong shard or start must not cost an emulator start or a target check
      shards = io.llmload.load.Shards.from(System.getProperties(), System.getenv());
      String at = params.string("startAt");
      startAtMs = at == null ? null : io.llmload.load.StartAt.parse(at, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    if (shards.split()) params.note("shards", shards.count());
    Protocol p = params.parsed("protocol", Protocol::parse);
    protocol = p == null ? Protocol.OPENAI_CHAT : p;
    params.note("protocol", protocol.id());
    maxTokens = params.positiveInt("maxTokens", 256);
    String maxTokensField = params.string("maxTokensField", StreamCodec.MAX_TOKENS);
    try {
      StreamCodec.of(protocol, maxTokensField);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    stream = params.string("stream") == null || params.bool("stream", true);
    if (!stream) NonStreamingRun.refuseStreamingObjectives(params);
    prompt = params.string("prompt", DEFAULT_PROMPT);
    boolean anthropic = protocol == Protocol.ANTHROPIC_MESSAGES; // Anthropic's own key and header
    String apiKeyEnv = params.string("apiKeyEnv", anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
    String key = System.getenv(apiKeyEnv);
    String apiKeyHeader = params.string("apiKeyHeader", anthropic ? "x-api-key" : ApiKey.DEFAULT_HEADER);
    try {
      ApiKey.checkHeader(apiKeyHeader);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
    Duration timeout = params.positiveDuration("timeout", Duration.ofMinutes(5));
    Duration idle = params.positiveDuration("idleTimeout", Duration.ofSeconds(60));
    boolean insecure = params.bool("tls.insecure", false);

    String targetUrl = params.string("target");
    Target parsedTarget;
    if (targetUrl == null) {
      EmulatorConfig ec;
      try {
        ec = EmulatorConfig.fromSystemProperties();
      } catch (IllegalArgumentException e) {
        throw params.invalid(e.getMessage());
      }
      Emulator started;
      try {
        started = Emulator.start(ec);
      } catch (RuntimeException e) {
        throw params.invalid("emulator: could not start (" + e.getMessage() + ")");
      }
      emulator = started;
      parsedTarget = Target.parse(started.baseUrl());
    } else {
      emulator = null;
      parsedTarget = params.parsed("target", Target::parse);
      params.note("target", parsedTarget.urlForRecord());
    }
    target = parsedTarget;

    ApiKey auth = key == null || key.isBlank() ? null : ApiKey.of(apiKeyHeader, key);
    try {
      server = ServerIdentity.fetch(target, StreamCodec.of(protocol).identityPaths(), auth, insecure);
    } catch (ServerIdentity.Unreachable e) {
      closeEmulator();
      throw params.invalid(e.getMessage());
    }
    String m = params.string("model");
    if (m == null) {
      m = ServerIdentity.firstModel(server);
      if (m != null) params.note("model", m);
    }
    model = m;

    LlmProtocolBuilder b =
        LlmDsl.llm.target(target.urlWithQuery()).protocol(protocol).timeout(timeout).idleTimeout(idle);
    if (model != null) b = b.model(model);
    b = b.apiKeyHeader(apiKeyHeader).maxTokensField(maxTokensField).stream(stream);
    if (key != null && !key.isBlank()) b = b.apiKey(key);
    if (insecure) b = b.insecureTls();
    if (protocol == Protocol.OPENAI_EMBEDDINGS) b = b.body("encoding_format", (Object) PoolingRun.encodingFormat(params));
    String headers = params.string("headers");
    if (headers != null) {
      List<String> shown = new ArrayList<>();
      for (String h : headers.split(";")) {
        if (h.isBlank()) continue;
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw params.invalid("headers: '" + h.trim() + "' is not 'Name: value'; separate headers with ';'");
        }
        String name = h.substring(0, colon).trim();
        b = b.header(name, h.substring(colon + 1).trim());
        shown.add(name + ": " + (SECRET_HEADER.matcher(name).matches() ? "***" : h.substring(colon + 1).trim()));
      }
      params.note("headers", String.join("; ", shown));
    }
    protocolBuilder = b;
    Workload w =
        Workloads.fromParams(
            params, new WorkloadContext(target.url(), protocol, model, prompt, maxTokens, auth, emulator != null));
    String images = params.string("images");
    if (images != null) {
      try {
        w = io.llmload.workload.ImageAttachments.wrap(w, protocol, images, 1L);
      } catch (IllegalArgumentException e) {
        closeEmulator();
        throw params.invalid(e.getMessage());
      }
    }
    workload = protocol.generates() ? w : PoolingRun.workload(params, protocol, w);
    consolePeriod = params.duration("console.period", Duration.ofSeconds(5));
    MetricsOptions metricsOptions = MetricsOptions.from(params);

    // Validate everything the end of the run needs now, before any load.
    try {
      collectorConfig = CollectorConfig.fromSystemProperties();
      reportOptions = ReportOptions.fromSystemProperties();
    } catch (IllegalArgumentException e) {
      closeEmulator();
      throw params.invalid(e.getMessage());
    }
    placement = collectorConfig.placement(java.net.URI.create(target.url()));
    params.note("collector", placement.name().toLowerCase(Locale.ROOT));
    String baseline = params.string("baseline");
    if (baseline != null) {
      try {
        // Checked now, not when the gate runs after the load: a wrong baseline must not cost a run.
        io.llmload.gate.GateOptions gate = io.llmload.gate.GateOptions.fromSystemProperties();
        String of = SummaryFiles.read(Path.of(baseline), "baseline").path("run").path("simulation").asText(null);
        if (of != null && !of.equals(getClass().getName()) && !gate.force()) {
          throw new IllegalArgumentException("baseline: " + baseline + " is a run of " + of + ", not "
              + getClass().getName() + " (pass -Dgate.force=true to compare anyway)");
        }
      } catch (RuntimeException e) {
        closeEmulator();
        throw params.invalid(e.getMessage());
      }
    }
    if (params.string("updateBaseline") != null) {
      params.bool("updateBaseline.force", false); // validated now: a bad value must not cost a run
    }

    try {
      Path results = Path.of(System.getProperty("llmload.resultsDir", "gatling-reports"));
      recorder = new RunRecorder(results, getClass().getName());
    } catch (IOException e) {
      closeEmulator();
      throw params.invalid("llmload.resultsDir: cannot write run files (" + e.getMessage() + ")");
    }
    if (shards.split()) recorder.shard(shards.label());
    context = new RunContext(recorder);
    RunContext.install(context);
    metrics = startMetrics(metricsOptions);
  }

  /** The live metrics -Dmetrics.port or -Dmetrics.remoteWrite ask for; a port in use ends here, before load. */
  private @Nullable LiveMetricsSession startMetrics(@Nullable MetricsOptions options) {
    if (options == null) return null;
    try {
      LiveMetricsSession s = LiveMetricsSession.start(options, getClass(), context.live());
      recorder.tap(s::observe);
      return s;
    } catch (IllegalArgumentException e) {
      closeEmulator();
      throw params.invalid(e.getMessage());
    }
  }

  /** The protocol for {@code setUp(...).protocols(...)}: target, wire format, model, key, headers. */
  protected LlmProtocolBuilder llmProtocol() {
    return protocolBuilder;
  }

  /**
   * The request every suite simulation sends: the prompt and output length of the workload.
   *
   * @param name the request's name in reports
   */
  protected io.llmload.dsl.LlmRequestActionBuilder request(String name) {
    io.llmload.dsl.LlmRequestActionBuilder r =
        LlmDsl.llm(name)
            .prompt("#{prompt}")
            .maxTokens("#{maxTokens}")
            .messages(LlmSimulation::messagesOf)
            .minTokens(s -> s.contains("minTokens") ? s.getIntegerWrapper("minTokens") : null);
    for (Map.Entry<String, Object> e : workload.extraBody().entrySet()) {
      r = r.body(e.getKey(), e.getValue());
    }
    return r;
  }

  /** The workload's chat history, or null (then the prompt goes as one user message). */
  private static List<Map<String, Object>> messagesOf(io.gatling.javaapi.core.Session s) {
    Object m = s.contains("messages") ? s.get("messages") : null;
    if (m instanceof List<?> l && !l.isEmpty()) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> list = (List<Map<String, Object>>) l;
      return list;
    }
    return null;
  }

  /**
   * The workload's records for a closed model's {@code feed(...)}: one per request; a shard's are
   * striped ({@link io.llmload.load.Shards#stripe}). An open model feeds {@code workload::feeder}
   * to its arrivals instead: arrival i takes record i on every shard.
   */
  protected java.util.Iterator<Map<String, Object>> feeder() {
    return shards.stripe(workload.feeder());
  }

  /** Rewrites summary.json and the report every {@code period} while the run goes on (long runs). */
  protected void refreshSummaryEvery(Duration period) {
    refreshPeriod = period;
  }

  /**
   * For open-model simulations: the arrival pacer itself waits for {@code -DstartAt} to the
   * nanosecond, so the hold ends this much earlier to leave Gatling time to start injecting (a
   * closed model's users start when Gatling starts, so its hold ends at the instant itself).
   */
  protected void pacedStart() {
    holdLead = io.llmload.load.StartAt.PACED_LEAD;
  }

  /** Declares the phases of the load plan, relative to the start of injection. */
  protected void phases(List<PlannedPhase> phases) {
    plan.clear();
    plan.addAll(phases);
  }

  /**
   * Gatling assertions for the percentile objectives given as properties ({@code -Dslo.ttft.p95=2s},
   * {@code -Dslo.e2e.p99=...}, {@code -Dslo.errorRate=1%}), on the request's own rows.
   */
  protected List<Assertion> sloAssertions(String requestName) {
    List<Assertion> out = new ArrayList<>();
    for (String metric : List.of("ttft", "tpot", "e2e")) {
      for (int p : new int[] {50, 90, 95, 99}) {
        Duration d = params.optionalDuration("slo." + metric + ".p" + p);
        if (d == null) continue;
        if (metric.equals("tpot")) {
          context.keepTpot(requestName);
          tpotObjectives.add(requestName, p, d.toNanos() / 1e6);
          continue;
        }
        String row = metric.equals("e2e") ? requestName : requestName + " " + metric;
        // Gatling's response times are whole milliseconds: the bound is compared at that resolution
        out.add(details(row).responseTime().percentile(p).lte((int) Math.max(1, d.toMillis())));
      }
    }
    String err = params.string("slo.errorRate");
    if (err != null) {
      String t = err.trim().replace("%", "");
      double pct;
      try {
        pct = Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw params.invalid("slo.errorRate: '" + err + "' is not a percentage, e.g. 1%");
      }
      if (pct < 0 || pct > 100) throw params.invalid("slo.errorRate: " + err + " is outside 0% to 100%");
      out.add(details(requestName).failedRequests().percent().lte(pct));
    }
    return out;
  }

  @Override
  public void before() {
    if (startAtMs != null) {
      LOG.info("shard {}: holding until {}", shards.label(), Instant.ofEpochMilli(startAtMs));
      try {
        io.llmload.load.StartAt.holdUntil(startAtMs - holdLead.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    startEpochUs = nowUs();
    startedEpochUs = startEpochUs;
    boolean fixStart = startAtMs != null;
    List<Phase> relative = new ArrayList<>();
    for (PlannedPhase p : plan) {
      long s = p.offset().toNanos() / 1000;
      long e = s + p.length().toNanos() / 1000;
      relative.add(new Phase(p.name(), p.level(), s, e, s + p.warmup().toNanos() / 1000));
    }
    context.plan(relative);
    if (metrics != null) metrics.prepare(relative);
    if (fixStart) context.fixStart(startAtMs * 1000);
    if (placement == CollectorConfig.Placement.IN_PROCESS) {
      // Samples go to staging until Gatling creates the run folder, then follow the records.
      CollectorSession session = CollectorSession.start(collectorConfig, recorder.staging().resolve("hardware"));
      collector = session;
      if (metrics != null) metrics.addGpu(session.gpuGauges());
      recorder.whenLocated(folder -> session.moveTo(folder.resolve("hardware")));
    }
    writeRunJson(false);
    if (!consolePeriod.isZero()) {
      console = new LiveConsole(context, consolePeriod, System.out);
    }
    if (refreshPeriod != null) {
      refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-summary-refresh");
        t.setDaemon(true);
        return t;
      });
      long ms = refreshPeriod.toMillis();
      refresher.scheduleWithFixedDelay(this::refreshSummary, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    // Gatling stamps its run folder right after before() returns: arm the locator last.
    recorder.armLocator(System.currentTimeMillis());
  }

  @Override
  public void after() {
    try {
      finish();
    } finally {
      if (metrics != null) metrics.close();
    }
  }

  private void finish() {
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
    writeRunJson(true);
    closeEmulator();
    RunContext.install(null);
    if (folder == null) {
      LOG.error("run folder not found; records are in {}", recorder.staging());
      return;
    }
    LOG.info("run folder: {} ({} requests recorded)", folder, recorder.written());
    if (placement == CollectorConfig.Placement.REMOTE) {
      var pulled = RemoteCollector.pull(collectorConfig.url(), startEpochUs / 1000, end / 1000, folder.resolve("hardware"));
      if (pulled.error() != null) LOG.warn("remote collector: {}", pulled.error());
    }
    // Nothing here may throw: an exception in after() would cost Gatling's HTML report.
    try {
      Aggregator.aggregate(List.of(folder), folder, reportOptions);
      LOG.info("report: {}", folder.resolve("report.html"));
    } catch (IOException | RuntimeException e) {
      LOG.error("aggregation failed: {}", e.toString());
    }
    if (!tpotObjectives.isEmpty() && !tpotObjectives.evaluate(context, System.out)) {
      GateHook.exitWithAtShutdown(io.llmload.gate.ExitCodes.REGRESSED, System.out);
    }
    GateHook.afterRun(folder);
  }

  private long endEpochUs;

  /** A snapshot of a run still going on: marked incomplete by run.json, redone at the end. */
  private void refreshSummary() {
    Path folder = recorder.runFolder();
    if (folder == null) return;
    try {
      Aggregator.aggregate(List.of(folder), folder, reportOptions);
      LOG.info("summary refreshed: {}", folder.resolve("report.html"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("summary refresh failed: {}", e.toString());
    }
  }

  private void writeRunJson(boolean complete) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("schema", 1);
    run.put("suite_version", suiteVersion());
    run.put("simulation", getClass().getName());
    Path folder = recorder.runFolder();
    run.put("run_folder", folder == null ? null : folder.getFileName().toString());
    run.put("target", target.url());
    run.put("emulator", emulatorInfo());
    run.put("protocol", protocol.id());
    run.put("model", model);
    run.put("parameters", params.used());
    run.put("workload", workload.describe());
    run.put("server", server);
    run.put("host", hostName());
    run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    run.put("cpus", Runtime.getRuntime().availableProcessors());
    run.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    run.put("git_commit", GitCommit.read());
    long anchor = context.anchorUs();
    run.put("start_epoch_us", anchor != 0 ? anchor : startEpochUs != 0 ? startEpochUs : constructedEpochUs);
    run.put("end_epoch_us", complete ? endEpochUs : null);
    List<Map<String, Object>> ph = new ArrayList<>();
    for (Phase p : context.phases()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("level", p.level());
      m.put("start_epoch_us", p.startEpochUs());
      m.put("end_epoch_us", p.endEpochUs());
      m.put("warmup_end_epoch_us", p.warmupEndEpochUs());
      ph.add(m);
    }
    run.put("phases", ph);
    long first = context.firstInjectionUs();
    // a paced open model starts before the common instant and waits for it: it started at the instant
    if (first != 0 && startAtMs != null) first = Math.max(first, startAtMs * 1000);
    run.put("shard", ShardFacts.of(shards, startAtMs, startedEpochUs, first));
    run.put("complete", complete);
    try {
      byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(run);
      recorder.writeFile("run.json", json);
    } catch (IOException e) {
      LOG.error("cannot write run.json: {}", e.getMessage());
    }
  }

  private @Nullable Map<String, Object> emulatorInfo() {
    if (emulator == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    EmulatorConfig c = emulator.config();
    m.put("profile", c.profile());
    m.put("seed", c.seed());
    m.put("jitter", c.jitter());
    m.put("synthetic", true);
    return m;
  }

  private void closeEmulator() {
    if (emulator != null) {
      try {
        emulator.close();
      } catch (RuntimeException e) {
        LOG.warn("emulator close: {}", e.toString());
      }
    }
  }

  /** The emulator this run started, or null against a real target. */
  protected @Nullable Emulator emulator() {
    return emulator;
  }

  private static void exitWith(String message) {
    System.err.println("llm-load-suite: " + message);
    System.err.flush();
    // No stack trace: the message says what is wrong and what is allowed.
    System.exit(2);
  }

  private static long nowUs() {
    return io.llmload.record.Epoch.nowUs();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  private static String suiteVersion() {
    String v = LlmSimulation.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  /** Formats a duration the way users write it, for scenario and phase names. */
  protected static String show(Duration d) {
    return Durations.format(d).toLowerCase(Locale.ROOT);
  }
}
