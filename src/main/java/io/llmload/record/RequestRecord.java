package io.llmload.record;

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
    g.writeNumberField("schema", SCHEMA);
    g.writeNumberField("definitions", DEFINITIONS);
    str(g, "protocol", protocol);
    str(g, "scenario", scenario);
    str(g, "request", request);
    str(g, "phase", phase);
    if (level != null) {
      double l = level;
      if (l == Math.rint(l)) g.writeNumberField("level", (long) l);
      else g.writeNumberField("level", l);
    }
    g.writeBooleanField("warmup", warmup);
    g.writeNumberField("user", user);
    g.writeNumberField("seq", seq);
    if (inFlight > 0) g.writeNumberField("in_flight", inFlight);
    str(g, "id", id);
    str(g, "shard", shard);
    if (workloadRecord != null) g.writeNumberField("workload_record", workloadRecord);
    if (globalUser != null) g.writeNumberField("global_user", globalUser);
    if (iteration != null) g.writeNumberField("iteration", iteration);
    str(g, "status", status);
    if (httpStatus != null) g.writeNumberField("http_status", httpStatus);
    str(g, "error", error);
    g.writeNumberField("scheduled_epoch_us", scheduledEpochUs);
    if (startEpochUs != 0) g.writeNumberField("start_epoch_us", startEpochUs);
    if (sentEpochUs != 0) g.writeNumberField("sent_epoch_us", sentEpochUs);
    g.writeNumberField("end_epoch_us", endEpochUs);
    ms(g, "queue_delay_ms", queueDelayMs);
    ms(g, "connect_ms", connectMs);
    ms(g, "tls_ms", tlsMs);
    if (reused != null) g.writeBooleanField("reused", reused);
    if (retried) g.writeBooleanField("retried", true);
    ms(g, "headers_ms", headersMs);
    ms(g, "ttfb_ms", ttfbMs);
    ms(g, "ttft_ms", ttftMs);
    ms(g, "ttfo_ms", ttfoMs);
    ms(g, "last_token_ms", lastTokenMs);
    ms(g, "e2e_ms", e2eMs);
    ms(g, "ttft_from_scheduled_ms", ttftFromScheduledMs);
    ms(g, "e2e_from_scheduled_ms", e2eFromScheduledMs);
    ms(g, "tpot_ms", tpotMs);
    if (itlNanos != null && itlWeights != null && itlCount > 0) {
      writeItl(g);
    }
    if (outputTokens != null) g.writeNumberField("output_tokens", outputTokens);
    str(g, "output_tokens_source", outputTokensSource);
    g.writeNumberField("chunk_tokens", chunkTokens);
    g.writeNumberField("chunks", chunks);
    if (promptTokens != null) g.writeNumberField("prompt_tokens", promptTokens);
    if (targetPromptTokens != null) g.writeNumberField("target_prompt_tokens", targetPromptTokens);
    str(g, "target_prompt_tokens_source", targetPromptTokensSource);
    if (cachedPromptTokens != null) g.writeNumberField("cached_prompt_tokens", cachedPromptTokens);
    if (reasoningTokens != null) g.writeNumberField("reasoning_tokens", reasoningTokens);
    if (outputKinds != null && !outputKinds.isEmpty()) {
      g.writeArrayFieldStart("output_kinds");
      for (String k : outputKinds) g.writeString(k);
      g.writeEndArray();
    }
    if (choices > 0) g.writeNumberField("choices", choices);
    str(g, "finish_reason", finishReason);
    if (inputs != null) g.writeNumberField("inputs", inputs);
    if (maxTokens != null) g.writeNumberField("max_tokens", maxTokens);
    ms(g, "tokens_per_s", tokensPerS);
    ms(g, "decode_tokens_per_s", decodeTokensPerS);
    if (server != null && !server.isEmpty()) {
      g.writeObjectField("server", server);
    }
    g.writeEndObject();
  }

  private void writeItl(JsonGenerator g) throws IOException {
    Histogram h = GapHistogram.record(itlNanos, itlWeights, itlEntries);
    long max = 0;
    for (int i = 0; i < itlEntries; i++) max = Math.max(max, itlNanos[i]);
    g.writeObjectFieldStart("itl_ms");
    g.writeNumberField("n", itlCount);
    g.writeNumberField("mean", round(itlSumNanos / itlCount / 1e6));
    // nearest rank, to the histogram's 3 significant digits
    g.writeNumberField("p50", round(pct(h, 50)));
    g.writeNumberField("p90", round(pct(h, 90)));
    g.writeNumberField("p99", round(pct(h, 99)));
    g.writeNumberField("max", round(max / 1e6));
    g.writeEndObject();
    str(g, "itl_tokens", itlTokens);
    g.writeStringField("itl_hist", GapHistogram.encode(h));
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
