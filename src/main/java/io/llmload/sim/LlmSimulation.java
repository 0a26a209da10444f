package io.llmload.sim;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import io.llmload.client.Target;
import io.llmload.config.Durations;
import io.llmload.config.Params;
import io.llmload.dsl.LlmDsl;
import io.llmload.dsl.LlmProtocolBuilder;
import io.llmload.emulator.Emulator;
import io.llmload.record.RunContext;
import io.llmload.collector.runfolder.RunJson;
import io.llmload.wire.Protocol;
import io.llmload.workload.Workload;
import io.llmload.workload.WorkloadContext;
import io.llmload.workload.Workloads;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The base of every suite simulation. It reads and validates the common {@code -D} parameters,
 * starts the embedded emulator when no {@code -Dtarget} is given, checks that the target answers,
 * and records the run: {@code run.json}, {@code requests.jsonl}, then the post-run summary and
 * report. Subclasses declare their scenario, injection and phase plan, nothing else.
 */
public abstract class LlmSimulation extends Simulation {
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
  /** What each request asks (prompt, messages, lengths): {@code -Dworkload} and its properties. */
  protected final Workload workload;
  /** This generator's part of the load ({@code -Dshards=N -Dshard=i}); the whole load when not sharded. */
  protected final io.llmload.load.Shards shards;
  /** False with {@code -Dstream=false}: whole answers, no TTFT, ITL or TPOT. */
  protected final boolean stream;

  private final RunTarget runTarget;
  private final LlmProtocolBuilder protocolBuilder;
  private final RunLifecycle lifecycle;
  private final List<PlannedPhase> plan = new ArrayList<>();

  protected LlmSimulation() {
    RunSettings settings = new RunSettings(params, DEFAULT_PROMPT);
    shards = settings.shards;
    stream = settings.stream;
    protocol = settings.protocol;
    maxTokens = settings.maxTokens;
    prompt = settings.prompt;
    runTarget = RunTarget.open(params, settings);
    target = runTarget.target;
    model = runTarget.model;
    LlmProtocolBuilder b;
    try {
      b = settings.protocolBuilder(params, runTarget);
      Workload w = Workloads.fromParams(params, new WorkloadContext(
          target.url(), protocol, model, prompt, maxTokens, settings.auth(), runTarget.emulator != null));
      String images = params.string("images");
      if (images != null) {
        try {
          w = io.llmload.workload.ImageAttachments.wrap(w, protocol, images, 1L);
        } catch (IllegalArgumentException e) {
          throw params.invalid(e.getMessage());
        }
      }
      workload = protocol.generates() ? w : PoolingRun.workload(params, protocol, w);
      lifecycle = RunLifecycle.prepare(params, getClass(), target.url(), settings.shards, settings.startAtMs);
    } catch (RuntimeException e) {
      runTarget.close();
      throw e;
    }
    protocolBuilder = b.recordTo(lifecycle.context);
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

  /** Records in draw order, striped per shard ({@link io.llmload.load.Shards#stripe}), for {@code feed(...)}. */
  protected java.util.Iterator<Map<String, Object>> feeder() {
    return shards.stripe(workload.feeder());
  }

  /** A closed-model user: {@code step} with the record of its (user, iteration); see {@link io.llmload.load.ClosedUsers}. */
  protected io.gatling.javaapi.core.ChainBuilder closedUser(int maxUsers, io.gatling.javaapi.core.ActionBuilder step) {
    return ClosedUserChain.of(shards, workload, maxUsers, step);
  }

  /**
   * For open-model simulations: the arrival pacer itself waits for {@code -DstartAt} to the
   * nanosecond, so the hold ends this much earlier to leave Gatling time to start injecting (a
   * closed model's users start when Gatling starts, so its hold ends at the instant itself).
   */
  protected void pacedStart() {
    lifecycle.holdLead(io.llmload.load.StartAt.PACED_LEAD);
  }

  /** Rewrites summary.json and the report every {@code period} while the run goes on (long runs). */
  protected void refreshSummaryEvery(Duration period) {
    lifecycle.refreshSummaryEvery(period);
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
    return SloAssertions.of(params, lifecycle, requestName);
  }

  @Override
  public void before() {
    lifecycle.before(plan, this::describe);
  }

  @Override
  public void after() {
    lifecycle.after(this::describe, runTarget::close);
  }

  /** The simulation's own fields of run.json. */
  private void describe(RunJson run) {
    run.put("suite_version", suiteVersion());
    run.put("simulation", getClass().getName());
    run.put("target", target.url());
    run.put("emulator", runTarget.emulatorInfo());
    run.put("protocol", protocol.id());
    run.put("model", model);
    run.put("parameters", params.used());
    run.put("workload", workload.describe());
    run.put("server", runTarget.server);
    run.put("host", hostName());
    run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    run.put("cpus", Runtime.getRuntime().availableProcessors());
    run.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    run.put("git_commit", GitCommit.read());
  }

  /** The run the protocol records to: its recorder and phases (a simulation that plans as it goes). */
  protected RunContext runContext() {
    return lifecycle.context;
  }

  /** The emulator this run started, or null against a real target. */
  protected @Nullable Emulator emulator() {
    return runTarget.emulator;
  }

  private static void exitWith(String message) {
    System.err.println("llm-load-suite: " + message);
    System.err.flush();
    // No stack trace: the message says what is wrong and what is allowed.
    System.exit(2);
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
