package io.llmload.emulator;

import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The resolved parameters of one emulator instance: a profile's values with the overrides applied.
 * Nullable fields are switches that are off unless set.
 */
public record ModelParams(
    boolean fixedRate,
    int maxBatch,
    int maxAdmitPerStep,
    @Nullable Double stepSingleMs,
    double stepBaseMs,
    double stepPerSeqMs,
    double stepExponent,
    double prefillBaseMs,
    double prefillPerTokenMs,
    int cacheEntries,
    double cacheSaveMs,
    double cacheFreshMs,
    double cacheCheckUs,
    int queueLimit,
    int queueFullStatus,
    int tokensPerChunk,
    double batchWindowMs,
    boolean joinDuringPrefill,
    double tokensPerSecond,
    boolean firstChunkRole,
    int defaultMaxTokens,
    @Nullable Integer outputTokens,
    int reasoning,
    @Nullable Double prefillMs,
    @Nullable Integer errorAfter,
    @Nullable Integer truncateAfter,
    @Nullable Fault fault,
    int faultAfter,
    int trickleMicros) {

  /**
   * Decode step time in nanoseconds for a batch of {@code b} sequences:
   * {@code stepBaseMs + stepPerSeqMs * b^stepExponent} ({@code stepSingleMs} for b = 1 if set). The base is the weight read every step pays
   * whatever the batch; the per-sequence term is KV-cache reads and the batch's share of compute,
   * which grows faster than linearly once attention over many sequences dominates.
   */
  long stepNanos(int b) {
    if (b == 1 && stepSingleMs != null) {
      return Math.round(stepSingleMs * 1e6);
    }
    double ms = stepBaseMs + stepPerSeqMs * Math.pow(b, stepExponent);
    return Math.round(ms * 1e6);
  }

  /** Prefill time in nanoseconds of a prompt, unless a per-request override applies. */
  long prefillNanos(int promptTokens) {
    return Math.round((prefillBaseMs + prefillPerTokenMs * promptTokens) * 1e6);
  }

  /** Slots a prompt-cache model tracks one by one (llama.cpp servers run tens). */
  static final int MAX_CACHED_SLOTS = 1024;

  /**
   * Resolves textual values (already checked by {@link Param#check}) into typed parameters and
   * checks their combinations, naming parameters in errors with {@code prefix} ({@code emulator.}
   * for properties, {@code --} on the standalone command line).
   */
  static ModelParams of(Map<Param, String> v, String prefix) {
    EnumMap<Param, String> m = new EnumMap<>(v);
    String batch = m.get(Param.MAX_BATCH);
    String admit = m.get(Param.MAX_ADMIT_PER_STEP);
    if (dbl(m, Param.CACHE_ENTRIES, 0) > 0
        && (batch == null || batch.equals("unlimited") || Integer.parseInt(batch) > MAX_CACHED_SLOTS)) {
      throw new IllegalArgumentException(prefix + "cacheEntries: a prompt cache needs " + prefix + "maxBatch (the server's"
          + " slots) between 1 and " + MAX_CACHED_SLOTS + ", got " + (batch == null ? "unlimited" : batch));
    }
    return new ModelParams(
        "fixed-rate".equals(m.get(Param.MODE)),
        batch == null || batch.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(batch),
        admit == null || admit.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(admit),
        m.containsKey(Param.STEP_SINGLE_MS) ? Double.valueOf(m.get(Param.STEP_SINGLE_MS)) : null,
        dbl(m, Param.STEP_BASE_MS, 0),
        dbl(m, Param.STEP_PER_SEQ_MS, 0),
        dbl(m, Param.STEP_EXPONENT, 1),
        dbl(m, Param.PREFILL_BASE_MS, 0),
        dbl(m, Param.PREFILL_PER_TOKEN_MS, 0),
        (int) dbl(m, Param.CACHE_ENTRIES, 0),
        dbl(m, Param.CACHE_SAVE_MS, 0),
        dbl(m, Param.CACHE_FRESH_MS, 0),
        dbl(m, Param.CACHE_CHECK_US, 0),
        (int) dbl(m, Param.QUEUE_LIMIT, 1024),
        (int) dbl(m, Param.QUEUE_FULL_STATUS, 429),
        (int) dbl(m, Param.TOKENS_PER_CHUNK, 1),
        dbl(m, Param.BATCH_WINDOW_MS, 0),
        "true".equals(m.get(Param.JOIN_DURING_PREFILL)),
        dbl(m, Param.TOKENS_PER_SECOND, 30),
        !"false".equals(m.get(Param.FIRST_CHUNK_ROLE)),
        (int) dbl(m, Param.DEFAULT_MAX_TOKENS, 256),
        m.containsKey(Param.OUTPUT_TOKENS) ? Integer.valueOf(m.get(Param.OUTPUT_TOKENS)) : null,
        (int) dbl(m, Param.REASONING, 0),
        m.containsKey(Param.PREFILL_MS) ? Double.valueOf(m.get(Param.PREFILL_MS)) : null,
        m.containsKey(Param.ERROR_AFTER) ? Integer.valueOf(m.get(Param.ERROR_AFTER)) : null,
        m.containsKey(Param.TRUNCATE_AFTER) ? Integer.valueOf(m.get(Param.TRUNCATE_AFTER)) : null,
        m.containsKey(Param.FAULT) ? Fault.parse("fault", m.get(Param.FAULT)) : null,
        (int) dbl(m, Param.FAULT_AFTER, 3),
        (int) dbl(m, Param.TRICKLE_MICROS, 200));
  }

  private static double dbl(Map<Param, String> m, Param p, double dflt) {
    String s = m.get(p);
    return s == null ? dflt : Double.parseDouble(s);
  }
}
