package io.llmload.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every tunable of the emulator: the physical model of a profile and the per-request behaviour
 * defaults. One table serves the system properties ({@code -Demulator.<name>}), the standalone
 * command line and the documentation, so their names cannot drift apart.
 */
public enum Param {
  MODE("mode", Kind.CHOICE, "batched|fixed-rate", "batched: continuous-batching model; fixed-rate: every stream gets tokensPerSecond"),
  MAX_BATCH("maxBatch", Kind.INT, ">= 1 or 'unlimited'", "sequences decoded together; the rest wait"),
  MAX_ADMIT_PER_STEP("maxAdmitPerStep", Kind.INT, ">= 1 or 'unlimited'", "new requests admitted (prefilled) per step, like an engine's per-step prefill budget"),
  STEP_SINGLE_MS("stepSingleMs", Kind.DOUBLE, ">= 0", "decode step time with exactly one sequence, if it differs from the formula (single-sequence fast path)"),
  STEP_BASE_MS("stepBaseMs", Kind.DOUBLE, ">= 0", "decode step time at batch size 0 (weights read once per step)"),
  STEP_PER_SEQ_MS("stepPerSeqMs", Kind.DOUBLE, ">= 0", "added decode step time per running sequence, scaled by b^stepExponent"),
  STEP_EXPONENT("stepExponent", Kind.DOUBLE, "> 0", "power of the batch size in the per-sequence term"),
  PREFILL_BASE_MS("prefillBaseMs", Kind.DOUBLE, ">= 0", "fixed prefill cost of a newly admitted request (stalls its step)"),
  PREFILL_PER_TOKEN_MS("prefillPerTokenMs", Kind.DOUBLE, ">= 0", "prefill cost per prompt token"),
  CACHE_ENTRIES("cacheEntries", Kind.INT, ">= 0", "prompts llama.cpp's host-memory prompt cache holds (0: no cache); needs a finite maxBatch, the server's slots"),
  CACHE_SAVE_MS("cacheSaveMs", Kind.DOUBLE, ">= 0", "copying one slot's KV state to the prompt cache, into memory an evicted entry freed"),
  CACHE_FRESH_MS("cacheFreshMs", Kind.DOUBLE, ">= 0", "added to a save while the cache still grows (fresh memory pages)"),
  CACHE_CHECK_US("cacheCheckUs", Kind.DOUBLE, ">= 0", "every launch checks each idle slot's state against the cache (llama.cpp sizes the state first, walking every KV cell)"),
  QUEUE_LIMIT("queueLimit", Kind.INT, ">= 0", "requests allowed to wait for a batch slot; more are refused"),
  QUEUE_FULL_STATUS("queueFullStatus", Kind.INT, "429 or 503", "HTTP status when the waiting queue is full"),
  TOKENS_PER_CHUNK("tokensPerChunk", Kind.INT, ">= 1", "tokens each sequence gets per step, sent as one chunk"),
  BATCH_WINDOW_MS("batchWindowMs", Kind.DOUBLE, ">= 0", "an idle server gathers arrivals until this long after the latest one (at most 4 windows) before a step"),
  JOIN_DURING_PREFILL("joinDuringPrefill", Kind.BOOLEAN, "true|false", "requests that arrive while a step's prefills run join that step, up to maxAdmitPerStep, as llama.cpp takes every queued task before its next decode"),
  TOKENS_PER_SECOND("tokensPerSecond", Kind.DOUBLE, "> 0", "fixed-rate mode: tokens per second per stream"),
  FIRST_CHUNK_ROLE("firstChunkRole", Kind.BOOLEAN, "true|false", "openai-chat: send the role-only chunk as soon as the request is accepted"),
  DEFAULT_MAX_TOKENS("defaultMaxTokens", Kind.INT, ">= 1", "output length when the request gives none"),
  OUTPUT_TOKENS("outputTokens", Kind.INT, ">= 1", "stop (finish 'stop') after this many tokens if below max tokens"),
  REASONING("reasoning", Kind.INT, ">= 0", "the first N output tokens are reasoning"),
  PREFILL_MS("prefillMs", Kind.DOUBLE, ">= 0", "prefill time of every request, replacing the model's"),
  ERROR_AFTER("errorAfter", Kind.INT, ">= 0", "send the protocol's in-stream error object after N tokens"),
  TRUNCATE_AFTER("truncateAfter", Kind.INT, ">= 0", "close the connection after N tokens, without the final event"),
  FAULT("fault", Kind.CHOICE, Fault.allowed(), "fault injected into every request"),
  FAULT_AFTER("faultAfter", Kind.INT, ">= 0", "tokens before a mid-stream fault"),
  TRICKLE_MICROS("trickleMicros", Kind.INT, ">= 1", "trickle fault: microseconds between single bytes");

  /** How a value is parsed and checked. */
  enum Kind {
    INT,
    DOUBLE,
    BOOLEAN,
    CHOICE
  }

  private final String id;
  private final Kind kind;
  private final String allowed;
  private final String meaning;

  Param(String id, Kind kind, String allowed, String meaning) {
    this.id = id;
    this.kind = kind;
    this.allowed = allowed;
    this.meaning = meaning;
  }

  /** The name after the {@code emulator.} prefix and after {@code --} on the command line. */
  public String id() {
    return id;
  }

  public String allowed() {
    return allowed;
  }

  public String meaning() {
    return meaning;
  }

  Kind kind() {
    return kind;
  }

  /**
   * Finds a parameter by its name.
   *
   * @throws IllegalArgumentException naming the known parameters
   */
  public static Param byId(String where, String id) {
    for (Param p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(where + ": unknown emulator parameter, known are " + ids());
  }

  static String ids() {
    return Arrays.stream(values()).map(Param::id).collect(Collectors.joining(", "));
  }

  /**
   * Checks a textual value and returns it normalised (trimmed, lowercased for choices).
   *
   * @param where the property or option name to put in the error message
   * @throws IllegalArgumentException a one-line message naming {@code where} and the allowed values
   */
  String check(String where, String raw) {
    String v = raw == null ? "" : raw.trim();
    String bad = where + ": '" + raw + "' is not allowed, expected " + allowed;
    try {
      switch (kind) {
        case INT -> {
          if ((this == MAX_BATCH || this == MAX_ADMIT_PER_STEP) && v.equalsIgnoreCase("unlimited")) {
            return "unlimited";
          }
          long n = Long.parseLong(v);
          boolean ok = switch (this) {
            case MAX_BATCH, MAX_ADMIT_PER_STEP, TOKENS_PER_CHUNK, DEFAULT_MAX_TOKENS, OUTPUT_TOKENS, TRICKLE_MICROS -> n >= 1;
            case QUEUE_FULL_STATUS -> n == 429 || n == 503;
            default -> n >= 0;
          };
          if (!ok || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(bad);
          }
          return Long.toString(n);
        }
        case DOUBLE -> {
          double d = Double.parseDouble(v);
          boolean ok = Double.isFinite(d) && (this == STEP_EXPONENT || this == TOKENS_PER_SECOND ? d > 0 : d >= 0);
          if (!ok) {
            throw new IllegalArgumentException(bad);
          }
          return v;
        }
        case BOOLEAN -> {
          String b = v.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw new IllegalArgumentException(bad);
          }
          return b;
        }
        case CHOICE -> {
          String c = v.toLowerCase(Locale.ROOT);
          if (this == FAULT) {
            Fault.parse(where, c);
            return c;
          }
          if (!Arrays.asList(allowed.split("\\|")).contains(c)) {
            throw new IllegalArgumentException(bad);
          }
          return c;
        }
        default -> throw new IllegalStateException(kind.name());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(bad, e);
    }
  }
}
