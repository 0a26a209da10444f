package io.llmload.record;

import io.llmload.collector.runfolder.RequestFields;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.HdrHistogram.Histogram;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code requests.jsonl} (schema 1, see docs/run-folder.md). Plain fields, filled by the
 * action when a request ends; null means absent and is not written.
 */
public final class RequestRecord {
  public static final int SCHEMA = 1;
  /**
   * The version of the metric definitions the record follows (README "What the numbers mean"). 2:
   * queue delay ends when the generator starts the request, latencies start when it is written
   * (after connection setup), inter-token gaps are per choice and multi-token aware.
   */
  public static final int DEFINITIONS = 2;

  public String protocol;
  public String scenario;
  public String request;
  public @Nullable String phase;
  public @Nullable Double level;
  public boolean warmup;
  public long user;
  public long seq;
  public int inFlight;
  public String id;
  /** Which generator of a sharded run sent it ("i/N"), or null for a single generator. */
  public @Nullable String shard;
  /** The workload record it sent, where the load model indexes its workload (arrival, or user and iteration). */
  public @Nullable Long workloadRecord;
  /** Closed model with indexed users: the global user (the same numbering on every shard) and its iteration. */
  public @Nullable Integer globalUser;
  public @Nullable Long iteration;
  public String status;
  public @Nullable Integer httpStatus;
  public @Nullable String error;
  public long scheduledEpochUs;
  public long startEpochUs;
  public long sentEpochUs;
  public long endEpochUs;
  public @Nullable Double queueDelayMs;
  public @Nullable Double headersMs;
  public @Nullable Double ttfbMs;
  public @Nullable Double ttftMs;
  public @Nullable Double ttfoMs;
  public @Nullable Double lastTokenMs;
  public @Nullable Double e2eMs;
  public @Nullable Double ttftFromScheduledMs;
  public @Nullable Double e2eFromScheduledMs;
  public @Nullable Double connectMs;
  public @Nullable Double tlsMs;
  public @Nullable Boolean reused;
  public boolean retried;
  public @Nullable Double tpotMs;
  // inter-token gaps (nanos), entry i standing for itlWeights[i] gaps; summarised on write
  public long @Nullable [] itlNanos;
  public int @Nullable [] itlWeights;
  public int itlEntries;
  public long itlCount;
  public double itlSumNanos;
  public @Nullable String itlTokens;
  public @Nullable Long outputTokens;
  public @Nullable String outputTokensSource;
  public int chunkTokens;
  public int chunks;
  public @Nullable Long promptTokens;
  public @Nullable Long targetPromptTokens;
  public @Nullable String targetPromptTokensSource;
  public @Nullable Long cachedPromptTokens;
  public @Nullable Long reasoningTokens;
  public @Nullable List<String> outputKinds;
  public int choices;
  public @Nullable String finishReason;
  /** Inputs embedded (embeddings) or documents ranked (rerank), as the answer counts them. */
  public @Nullable Integer inputs;
  public @Nullable Integer maxTokens;
  public @Nullable Double tokensPerS;
  public @Nullable Double decodeTokensPerS;
  public @Nullable Map<String, Object> server;

  /** Writes the record as one JSON object (no newline). */
  public void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField(RequestFields.SCHEMA, SCHEMA);
    g.writeNumberField(RequestFields.DEFINITIONS, DEFINITIONS);
    str(g, RequestFields.PROTOCOL, protocol);
    str(g, RequestFields.SCENARIO, scenario);
    str(g, RequestFields.REQUEST, request);
    str(g, RequestFields.PHASE, phase);
    if (level != null) {
      double l = level;
      if (l == Math.rint(l)) g.writeNumberField(RequestFields.LEVEL, (long) l);
      else g.writeNumberField(RequestFields.LEVEL, l);
    }
    g.writeBooleanField(RequestFields.WARMUP, warmup);
    g.writeNumberField(RequestFields.USER, user);
    g.writeNumberField(RequestFields.SEQ, seq);
    if (inFlight > 0) g.writeNumberField(RequestFields.IN_FLIGHT, inFlight);
    str(g, RequestFields.ID, id);
    str(g, RequestFields.SHARD, shard);
    if (workloadRecord != null) g.writeNumberField(RequestFields.WORKLOAD_RECORD, workloadRecord);
    if (globalUser != null) g.writeNumberField(RequestFields.GLOBAL_USER, globalUser);
    if (iteration != null) g.writeNumberField(RequestFields.ITERATION, iteration);
    str(g, RequestFields.STATUS, status);
    if (httpStatus != null) g.writeNumberField(RequestFields.HTTP_STATUS, httpStatus);
    str(g, RequestFields.ERROR, error);
    g.writeNumberField(RequestFields.SCHEDULED_EPOCH_US, scheduledEpochUs);
    if (startEpochUs != 0) g.writeNumberField(RequestFields.START_EPOCH_US, startEpochUs);
    if (sentEpochUs != 0) g.writeNumberField(RequestFields.SENT_EPOCH_US, sentEpochUs);
    g.writeNumberField(RequestFields.END_EPOCH_US, endEpochUs);
    ms(g, RequestFields.QUEUE_DELAY_MS, queueDelayMs);
    ms(g, RequestFields.CONNECT_MS, connectMs);
    ms(g, RequestFields.TLS_MS, tlsMs);
    if (reused != null) g.writeBooleanField(RequestFields.REUSED, reused);
    if (retried) g.writeBooleanField(RequestFields.RETRIED, true);
    ms(g, RequestFields.HEADERS_MS, headersMs);
    ms(g, RequestFields.TTFB_MS, ttfbMs);
    ms(g, RequestFields.TTFT_MS, ttftMs);
    ms(g, RequestFields.TTFO_MS, ttfoMs);
    ms(g, RequestFields.LAST_TOKEN_MS, lastTokenMs);
    ms(g, RequestFields.E2E_MS, e2eMs);
    ms(g, RequestFields.TTFT_FROM_SCHEDULED_MS, ttftFromScheduledMs);
    ms(g, RequestFields.E2E_FROM_SCHEDULED_MS, e2eFromScheduledMs);
    ms(g, RequestFields.TPOT_MS, tpotMs);
    if (itlNanos != null && itlWeights != null && itlCount > 0) {
      writeItl(g);
    }
    if (outputTokens != null) g.writeNumberField(RequestFields.OUTPUT_TOKENS, outputTokens);
    str(g, RequestFields.OUTPUT_TOKENS_SOURCE, outputTokensSource);
    g.writeNumberField(RequestFields.CHUNK_TOKENS, chunkTokens);
    g.writeNumberField(RequestFields.CHUNKS, chunks);
    if (promptTokens != null) g.writeNumberField(RequestFields.PROMPT_TOKENS, promptTokens);
    if (targetPromptTokens != null) g.writeNumberField(RequestFields.TARGET_PROMPT_TOKENS, targetPromptTokens);
    str(g, RequestFields.TARGET_PROMPT_TOKENS_SOURCE, targetPromptTokensSource);
    if (cachedPromptTokens != null) g.writeNumberField(RequestFields.CACHED_PROMPT_TOKENS, cachedPromptTokens);
    if (reasoningTokens != null) g.writeNumberField(RequestFields.REASONING_TOKENS, reasoningTokens);
    if (outputKinds != null && !outputKinds.isEmpty()) {
      g.writeArrayFieldStart(RequestFields.OUTPUT_KINDS);
      for (String k : outputKinds) g.writeString(k);
      g.writeEndArray();
    }
    if (choices > 0) g.writeNumberField(RequestFields.CHOICES, choices);
    str(g, RequestFields.FINISH_REASON, finishReason);
    if (inputs != null) g.writeNumberField(RequestFields.INPUTS, inputs);
    if (maxTokens != null) g.writeNumberField(RequestFields.MAX_TOKENS, maxTokens);
    ms(g, RequestFields.TOKENS_PER_S, tokensPerS);
    ms(g, RequestFields.DECODE_TOKENS_PER_S, decodeTokensPerS);
    if (server != null && !server.isEmpty()) {
      g.writeObjectField(RequestFields.SERVER, server);
    }
    g.writeEndObject();
  }

  private void writeItl(JsonGenerator g) throws IOException {
    Histogram h = GapHistogram.record(itlNanos, itlWeights, itlEntries);
    long max = 0;
    for (int i = 0; i < itlEntries; i++) max = Math.max(max, itlNanos[i]);
    g.writeObjectFieldStart(RequestFields.ITL_MS);
    g.writeNumberField(RequestFields.Itl.N, itlCount);
    g.writeNumberField(RequestFields.Itl.MEAN, round(itlSumNanos / itlCount / 1e6));
    // nearest rank, to the histogram's 3 significant digits
    g.writeNumberField(RequestFields.Itl.P50, round(pct(h, 50)));
    g.writeNumberField(RequestFields.Itl.P90, round(pct(h, 90)));
    g.writeNumberField(RequestFields.Itl.P99, round(pct(h, 99)));
    g.writeNumberField(RequestFields.Itl.MAX, round(max / 1e6));
    g.writeEndObject();
    str(g, RequestFields.ITL_TOKENS, itlTokens);
    g.writeStringField(RequestFields.ITL_HIST, GapHistogram.encode(h));
  }

  private static double pct(Histogram h, double p) {
    return h.medianEquivalentValue(h.getValueAtPercentile(p)) / 1000.0;
  }

  private static void str(JsonGenerator g, String name, @Nullable String v) throws IOException {
    if (v != null) g.writeStringField(name, v);
  }

  private static void ms(JsonGenerator g, String name, @Nullable Double v) throws IOException {
    if (v != null && !v.isNaN() && !v.isInfinite()) g.writeNumberField(name, round(v));
  }

  /** Microsecond resolution is what the clocks give; more digits would be noise. */
  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
