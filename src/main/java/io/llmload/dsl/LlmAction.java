package io.llmload.dsl;

import io.llmload.record.Definitions;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.llmload.client.ExchangeResult;
import io.llmload.client.Status;
import io.llmload.client.StreamRequest;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import io.llmload.record.RunContext;
import io.llmload.wire.OutputKind;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Sends one streaming request and reports it when the stream ends: to Gatling's stats (the request
 * row, plus a {@code "<name> ttft"} row), to {@code requests.jsonl}, and to the session (checks,
 * saveAs). Never blocks the caller: the exchange runs on the virtual user's event loop.
 */
final class LlmAction implements Action {
  private static final com.typesafe.scalalogging.Logger LOGGER =
      com.typesafe.scalalogging.Logger.apply(LoggerFactory.getLogger(LlmAction.class));
  private static final String SEQ_KEY = "llmload.seq";
  /** Session attribute: the nanoTime an open-model arrival was scheduled for, until its first request. */
  static final String SCHEDULED_KEY = "llmload.scheduledNanos";
  private static final String RUN_PREFIX =
      Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36);
  private static final AtomicLong IDS = new AtomicLong();

  private final LlmRequest request;
  private final LlmProtocol.Components components;
  private final StreamCodec codec;
  private final StatsEngine stats;
  private final Action next;
  private final boolean captureContent;
  /** Gatling's throttle when the simulation has {@code throttle(...)}: every request asks it first. */
  private final @Nullable GatlingThrottle throttle;

  LlmAction(LlmRequest request, LlmProtocol.Components components, ScenarioContext ctx, Action next) {
    this.request = request;
    this.components = components;
    this.codec = components.config.codec();
    this.stats = ctx.coreComponents().statsEngine();
    this.next = next;
    this.captureContent = request.checks().stream().anyMatch(c -> c.needsContent);
    this.throttle = GatlingThrottle.of(ctx);
  }

  @Override
  public String name() {
    return "llm";
  }

  @Override
  public com.typesafe.scalalogging.Logger logger() {
    return LOGGER;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(
      com.typesafe.scalalogging.Logger logger) {
    // the logger is a constant; Scala's trait initialiser may call this, nothing to keep
  }

  @Override
  public void execute(Session session) {
    RunContext ctx = components.run;
    if (session.eventLoop().isShuttingDown() || (ctx != null && ctx.isOver())) {
      // the simulation ended (maxDuration, a stop): Gatling drops its users, and a user looping
      // on llm(...) must not keep the event loops busy (their graceful shutdown would never end)
      return;
    }
    long now = System.nanoTime();
    if (ctx != null) ctx.anchor(EpochClock.epochUs(now));
    // an open-model arrival: its first request is measured from the arrival's scheduled instant
    scala.Option<Object> arrival = session.attributes().get(SCHEDULED_KEY);
    long scheduled = arrival.isDefined() ? (Long) arrival.get() : now;
    submit(session, scheduled, session.eventLoop(), (s, ok) -> next.$bang(s.remove(SCHEDULED_KEY)));
  }

  /**
   * {@link #send} once Gatling's throttler lets the request go, as Gatling's HTTP requests do; the
   * wait counts from {@code scheduledNanos}, so it shows as queue delay.
   */
  private void submit(Session session, long scheduledNanos, io.netty.channel.EventLoop loop, java.util.function.BiConsumer<Session, Boolean> done) {
    if (throttle == null) send(session, scheduledNanos, loop, done);
    else throttle.submit(session.scenario(), () -> send(session, scheduledNanos, loop, done));

  }

  /**
   * Sends one request for {@code session} on {@code loop} and calls {@code done} with the updated
   * session (checks saved, failed if KO) when the stream ends.
   *
   * @param scheduledNanos when the load model meant the request to go (queue delay is measured from it)
   */
  void send(Session session, long scheduledNanos, io.netty.channel.EventLoop loop, java.util.function.BiConsumer<Session, Boolean> done) {
    io.gatling.javaapi.core.Session js = new io.gatling.javaapi.core.Session(session);
    String name;
    RequestSpec spec;
    List<Map.Entry<String, String>> headers;
    try {
      name = request.name().apply(js);
      spec = spec(js);
      headers = headers(js);
    } catch (RuntimeException e) {
      String msg = "llm request could not be built: " + e.getMessage();
      stats.logRequestCrash(session.scenario(), session.groups(), "llm", msg);
      done.accept(session.markAsFailed(), false);
      return;
    }
    Object prev = js.contains(SEQ_KEY) ? js.get(SEQ_KEY) : null;
    long seq = prev instanceof Number p ? p.longValue() + 1 : 1;
    Session counted = session.set(SEQ_KEY, seq);
    String id = RUN_PREFIX + "-" + IDS.incrementAndGet();
    RunContext live = components.run;
    StreamState state = new StreamState(captureContent, live == null ? null : live.live().streamedTokens());
    var cfg = components.config;
    StreamRequest req =
        new StreamRequest(
            id,
            codec.path(),
            codec.body(spec),
            headers,
            codec.newParser(),
            state,
            cfg.timeout().toNanos(),
            cfg.idleTimeout().toNanos());
    RunContext ctx = components.run;
    int inFlight = ctx == null ? 0 : ctx.live().started();
    components.client.execute(
        loop,
        req,
        result -> complete(counted, name, id, seq, inFlight, scheduledNanos, spec, result, done));
  }

  private List<Map.Entry<String, String>> headers(io.gatling.javaapi.core.Session js) {
    return RequestAssembly.headers(request, components.config, js);
  }

  private RequestSpec spec(io.gatling.javaapi.core.Session js) {
    return RequestAssembly.spec(request, components.config, js);
  }

  private void complete(
      Session session, String name, String id, long seq, int inFlight, long scheduledNanos, RequestSpec spec,
      ExchangeResult r, java.util.function.BiConsumer<Session, Boolean> done) {
    RequestRecord rec = toRecord(session, name, id, seq, scheduledNanos, spec, r);
    rec.inFlight = inFlight;
    LlmResult view = new LlmResult(rec, r.state().content());
    Session s = session;
    LlmCheck.Failure checkError = null;
    if (r.status() == Status.OK) {
      for (LlmCheck<?> c : request.checks()) {
        LlmCheck.Failure f = c.failure(view);
        if (f != null) {
          checkError = f;
          break;
        }
        if (c.saveAsKey() != null) {
          Object v = c.value(view);
          if (v != null) s = s.set(c.saveAsKey(), v);
        }
      }
      if (checkError != null) {
        rec.status = Status.CHECK_FAILED.id();
        rec.error = checkError.detail();
      }
    }
    boolean ok = Status.OK.id().equals(rec.status);
    long sentNanos = r.sentNanos() != 0 ? r.sentNanos() : r.startNanos();
    // open model: Gatling's rows (and so the -Dslo.*.pNN assertions) start at the scheduled
    // instant, so the generator's wait is inside the figures users gate on
    boolean fromScheduled = session.attributes().contains(SCHEDULED_KEY);
    long startMs = EpochClock.epochUs(fromScheduled ? scheduledNanos : sentNanos) / 1000;
    long endMs = EpochClock.epochUs(r.endNanos()) / 1000;
    var status = ok ? OK$.MODULE$ : KO$.MODULE$;
    Option<String> code = Option.apply(r.httpStatus() == null ? null : r.httpStatus().toString());
    // a failed check's KO message leaves out the measured value: one error row per check
    String why = checkError != null ? checkError.message() : rec.error;
    Option<String> message = Option.apply(ok ? null : rec.status + ": " + why);
    stats.logResponse(session.scenario(), session.groups(), name, startMs, endMs, status, code, message);
    if (r.state().firstTokenNanos() != 0) {
      long ttftEndMs = EpochClock.epochUs(r.state().firstTokenNanos()) / 1000;
      stats.logResponse(session.scenario(), session.groups(), name + " ttft", startMs, ttftEndMs, status, code, message);
    }
    RunContext ctx = components.run;
    // no TPOT row: TPOT is a mean gap, not a span between two instants (-Dslo.tpot.pNN is
    // evaluated from these after the run)
    if (ctx != null && ok && rec.tpotMs != null) ctx.tpot(name, rec.tpotMs);
    if (ctx != null) {
      ctx.live().finished(ok, rec.ttftMs == null ? Double.NaN : rec.ttftMs);
      ctx.recorder().append(rec);
    }
    done.accept(ok ? s : s.markAsFailed(), ok);
  }

  private RequestRecord toRecord(
      Session session, String name, String id, long seq, long scheduledNanos, RequestSpec spec, ExchangeResult r) {
    StreamState st = r.state();
    RequestRecord rec = new RequestRecord();
    rec.protocol = components.config.protocol().id();
    rec.scenario = session.scenario();
    rec.request = name;
    rec.user = session.userId();
    rec.seq = seq;
    rec.id = id;
    rec.status = r.status().id();
    rec.httpStatus = r.httpStatus();
    rec.error = r.error();
    rec.maxTokens = components.config.protocol().generates() ? spec.maxTokens() : null; // nothing generated
    // the workload's intended input length, so reports can say when the server counted otherwise
    if (session.contains("inputTokens")) {
      io.gatling.javaapi.core.Session js = new io.gatling.javaapi.core.Session(session);
      Object it = js.get("inputTokens");
      if (it instanceof Number n) rec.targetPromptTokens = n.longValue();
      Object src = js.contains("inputTokensSource") ? js.get("inputTokensSource") : null;
      if (src != null) rec.targetPromptTokensSource = src.toString();
    }
    // which workload record, user and iteration, where the load model indexes its workload
    scala.Option<Object> position = session.attributes().get(WorkloadPosition.KEY);
    if (position.isDefined() && position.get() instanceof WorkloadPosition wp) {
      rec.workloadRecord = wp.record();
      rec.globalUser = wp.user();
      rec.iteration = wp.iteration();
    }
    long sent = r.sentNanos();
    rec.scheduledEpochUs = EpochClock.epochUs(scheduledNanos);
    rec.startEpochUs = EpochClock.epochUs(r.startNanos());
    rec.sentEpochUs = sent == 0 ? 0 : EpochClock.epochUs(sent);
    rec.endEpochUs = EpochClock.epochUs(r.endNanos());
    long base = sent != 0 ? sent : r.startNanos();
    // The generator's own lateness ends when it starts the request; connection setup is the
    // server's and the network's, recorded apart; latencies start when the request is written.
    rec.queueDelayMs = Definitions.queueDelayMs(scheduledNanos, r.startNanos());
    var conn = r.connection();
    rec.connectMs = conn.connectNanos() == 0 ? null : ms(conn.connectNanos());
    rec.tlsMs = conn.tlsNanos() == 0 ? null : ms(conn.tlsNanos());
    rec.reused = sent == 0 && conn.connectNanos() == 0 ? null : conn.reused();
    rec.retried = conn.retried();
    rec.ttftFromScheduledMs = since(scheduledNanos, st.firstTokenNanos());
    rec.e2eFromScheduledMs = ms(r.endNanos() - scheduledNanos);
    rec.headersMs = since(base, r.headersNanos());
    rec.ttfbMs = since(base, st.firstByteNanos());
    rec.ttftMs = since(base, st.firstTokenNanos());
    rec.ttfoMs = since(base, st.firstOutputNanos());
    rec.lastTokenMs = since(base, st.lastTokenNanos());
    rec.e2eMs = Definitions.e2eMs(sent, r.endNanos());
    rec.chunkTokens = st.tokenChunks();
    rec.chunks = st.events();
    rec.choices = st.choices();
    if (st.usageCompletionTokens() != null) {
      rec.outputTokens = st.usageCompletionTokens();
      rec.outputTokensSource = "usage";
    } else if (st.serverOutputTokens() != null) {
      rec.outputTokens = st.serverOutputTokens();
      rec.outputTokensSource = st.serverOutputTokensSource();
    } else {
      rec.outputTokens = st.chunkTokenCount();
      rec.outputTokensSource = st.serverCountedChunks() > 0 ? "chunk_counts" : "chunks";
    }
    rec.promptTokens = st.usagePromptTokens();
    rec.cachedPromptTokens = st.cachedPromptTokens();
    rec.reasoningTokens = st.reasoningTokens();
    if (!st.kinds().isEmpty()) {
      List<String> kinds = new ArrayList<>(st.kinds().size());
      for (OutputKind k : st.kinds()) kinds.add(k.id());
      rec.outputKinds = kinds;
    }
    rec.finishReason = st.finishReason();
    rec.inputs = st.items();
    rec.server = st.server().isEmpty() ? null : st.server();
    if (st.gapCount() > 0) {
      rec.itlNanos = st.gaps();
      rec.itlWeights = st.gapWeights();
      rec.itlEntries = st.gapEntries();
      rec.itlCount = st.gapCount();
      rec.itlSumNanos = st.decodeNanos();
      int counted = st.serverCountedChunks();
      rec.itlTokens = counted == 0 ? "chunks" : counted == st.tokenChunks() ? "server" : "partly-server";
    }
    long n = rec.outputTokens;
    rec.tpotMs = Definitions.tpotMs(n, st);
    rec.decodeTokensPerS = Definitions.decodeTokensPerS(rec.tpotMs);
    rec.tokensPerS = Definitions.tokensPerS(n, rec.e2eMs);
    RunContext ctx = components.run;
    if (ctx != null) {
      Phase ph = ctx.phaseAt(rec.sentEpochUs != 0 ? rec.sentEpochUs : rec.scheduledEpochUs);
      if (ph != null) {
        rec.phase = ph.name();
        rec.level = ph.level();
        rec.warmup = (rec.sentEpochUs != 0 ? rec.sentEpochUs : rec.scheduledEpochUs) < ph.warmupEndEpochUs();
      }
    }
    return rec;
  }

  private static Double since(long base, long instant) {
    return Definitions.sinceMs(base, instant);
  }

  private static double ms(long nanos) {
    return Definitions.ms(nanos);
  }
}
