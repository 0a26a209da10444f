package io.llmload.collector.runfolder;

/**
 * The field names of a {@code requests.jsonl} line (docs/run-folder.md, schema 1), for the
 * aggregator's and the gate's readers; a test holds them, the record's writer and the documentation
 * together.
 */
public final class RequestFields {
  public static final String SCHEMA = "schema";
  public static final String DEFINITIONS = "definitions";
  public static final String PROTOCOL = "protocol";
  public static final String SCENARIO = "scenario";
  public static final String REQUEST = "request";
  public static final String PHASE = "phase";
  public static final String LEVEL = "level";
  public static final String WARMUP = "warmup";
  public static final String USER = "user";
  public static final String SEQ = "seq";
  public static final String IN_FLIGHT = "in_flight";
  public static final String ID = "id";
  public static final String SHARD = "shard";
  public static final String WORKLOAD_RECORD = "workload_record";
  public static final String GLOBAL_USER = "global_user";
  public static final String ITERATION = "iteration";
  public static final String STATUS = "status";
  public static final String HTTP_STATUS = "http_status";
  public static final String ERROR = "error";
  public static final String SCHEDULED_EPOCH_US = "scheduled_epoch_us";
  public static final String START_EPOCH_US = "start_epoch_us";
  public static final String SENT_EPOCH_US = "sent_epoch_us";
  public static final String END_EPOCH_US = "end_epoch_us";
  public static final String QUEUE_DELAY_MS = "queue_delay_ms";
  public static final String CONNECT_MS = "connect_ms";
  public static final String TLS_MS = "tls_ms";
  public static final String REUSED = "reused";
  public static final String RETRIED = "retried";
  public static final String HEADERS_MS = "headers_ms";
  public static final String TTFB_MS = "ttfb_ms";
  public static final String TTFT_MS = "ttft_ms";
  public static final String TTFO_MS = "ttfo_ms";
  public static final String LAST_TOKEN_MS = "last_token_ms";
  public static final String E2E_MS = "e2e_ms";
  public static final String TTFT_FROM_SCHEDULED_MS = "ttft_from_scheduled_ms";
  public static final String E2E_FROM_SCHEDULED_MS = "e2e_from_scheduled_ms";
  public static final String TPOT_MS = "tpot_ms";
  public static final String ITL_MS = "itl_ms";
  public static final String ITL_TOKENS = "itl_tokens";
  public static final String ITL_HIST = "itl_hist";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String OUTPUT_TOKENS_SOURCE = "output_tokens_source";
  public static final String CHUNK_TOKENS = "chunk_tokens";
  public static final String CHUNKS = "chunks";
  public static final String PROMPT_TOKENS = "prompt_tokens";
  public static final String TARGET_PROMPT_TOKENS = "target_prompt_tokens";
  public static final String TARGET_PROMPT_TOKENS_SOURCE = "target_prompt_tokens_source";
  public static final String CACHED_PROMPT_TOKENS = "cached_prompt_tokens";
  public static final String REASONING_TOKENS = "reasoning_tokens";
  public static final String OUTPUT_KINDS = "output_kinds";
  public static final String CHOICES = "choices";
  public static final String FINISH_REASON = "finish_reason";
  public static final String MAX_TOKENS = "max_tokens";
  public static final String INPUTS = "inputs";
  public static final String TOKENS_PER_S = "tokens_per_s";
  public static final String DECODE_TOKENS_PER_S = "decode_tokens_per_s";
  public static final String SERVER = "server";

  /** The fields of the {@link #ITL_MS} summary. */
  public static final class Itl {
    public static final String N = "n";
    public static final String MEAN = "mean";
    public static final String P50 = "p50";
    public static final String P90 = "p90";
    public static final String P99 = "p99";
    public static final String MAX = "max";

    private Itl() {}
  }

  private RequestFields() {}
}
