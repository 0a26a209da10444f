package io.llmload.collector.runfolder;

import java.util.List;

/**
 * The field names of {@code summary.json} (docs/report.md, schema 1): the one place that spells
 * them. The aggregator writes through these names and the gate and the compare command read
 * through them, so a field renamed here is renamed for writer and readers at once; a test holds
 * the names and docs/report.md together.
 */
public final class SummaryJson {
  public static final int SCHEMA = 1;

  // Top level.
  public static final String SCHEMA_FIELD = "schema";
  public static final String GENERATOR = "generator";
  public static final String DEFINITIONS = "definitions";
  public static final String RUN = "run";
  public static final String COMPLETE = "complete";
  public static final String SKIPPED_LINES = "skipped_lines";
  public static final String SLO = "slo";
  public static final String PHASES = "phases";
  public static final String FINDINGS = "findings";
  public static final String WARNINGS = "warnings";
  /** The simulation's Gatling assertions judged over the folder's records (after a merge too). */
  public static final String ASSERTIONS = "assertions";
  /** A capacity search's result (capacity.json, docs/capacity.md). */
  public static final String CAPACITY = "capacity";

  private SummaryJson() {}

  /** The {@code run} object: where the figures came from. */
  public static final class Run {
    public static final String FOLDER = "folder";
    public static final String FOLDERS = "folders";
    public static final String SIMULATION = "simulation";
    public static final String PROTOCOL = "protocol";
    public static final String MODEL = "model";
    public static final String TARGET = "target";
    public static final String EMULATOR = "emulator";
    public static final String MAX_TOKENS = "max_tokens";
    public static final String PARAMETERS = "parameters";
    public static final String HARDWARE_FROM = "hardware_from";
    public static final String SHARDS = "shards";
    public static final String SERVER = "server";
    public static final String START_EPOCH_US = "start_epoch_us";
    public static final String END_EPOCH_US = "end_epoch_us";

    private Run() {}
  }

  /** One entry of {@code phases}. */
  public static final class Phase {
    public static final String NAME = "name";
    public static final String LEVEL = "level";
    public static final String WINDOW_S = "window_s";
    public static final String START_EPOCH_US = "start_epoch_us";
    public static final String END_EPOCH_US = "end_epoch_us";
    public static final String WARMUP_REQUESTS = "warmup_requests";
    public static final String REQUESTS = "requests";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String REQUESTS_BY_SHARD = "requests_by_shard";
    public static final String FAILURES = "failures";
    public static final String ERROR_EXAMPLES = "error_examples";
    public static final String ERROR_RATE = "error_rate";
    public static final String REQUEST_RATE = "request_rate";
    public static final String OUTPUT_TOKENS = "output_tokens";
    public static final String WINDOW_OUTPUT_TOKENS = "window_output_tokens";
    public static final String OUTPUT_TOKENS_PER_S = "output_tokens_per_s";
    public static final String WINDOW_PROMPT_TOKENS = "window_prompt_tokens";
    public static final String PROMPT_TOKENS_PER_S = "prompt_tokens_per_s";
    public static final String INPUTS = "inputs";
    public static final String INPUTS_PER_S = "inputs_per_s";
    public static final String INPUT_TOKENS = "input_tokens";
    public static final String INPUT_TOKENS_PER_S = "input_tokens_per_s";
    public static final String GOODPUT_RPS = "goodput_rps";
    public static final String GOOD_FRACTION = "good_fraction";
    public static final String TTFT_MS = "ttft_ms";
    public static final String TTFO_MS = "ttfo_ms";
    public static final String TPOT_MS = "tpot_ms";
    public static final String ITL_MS = "itl_ms";
    public static final String ITL_BASIS = "itl_basis";
    public static final String ITL_REQUEST_MEAN_MS = "itl_request_mean_ms";
    public static final String ITL_CHUNK_TOKEN_REQUESTS = "itl_chunk_token_requests";
    public static final String CONNECTION = "connection";
    public static final String E2E_MS = "e2e_ms";
    public static final String QUEUE_DELAY_MS = "queue_delay_ms";
    public static final String TTFT_FROM_SCHEDULED_MS = "ttft_from_scheduled_ms";
    public static final String TOKENS_PER_S = "tokens_per_s";
    public static final String DECODE_TOKENS_PER_S = "decode_tokens_per_s";
    public static final String OUTPUT_TOKENS_PER_REQUEST = "output_tokens_per_request";
    public static final String PROMPT_TOKENS_PER_REQUEST = "prompt_tokens_per_request";
    public static final String GPU = "gpu";
    public static final String PROCESS = "process";
    public static final String HOST = "host";
    public static final String SERVER_METRICS = "server_metrics";
    public static final String SERVER_COUNTERS = "server_counters";
    public static final String SERVER_TOKENS = "server_tokens";
    public static final String SERVER_REPORTED = "server_reported";
    public static final String HISTOGRAMS = "histograms";
    public static final String SAMPLES = "samples";

    private Phase() {}
  }

  /** The fields of a latency or speed figure ({@code ttft_ms}, {@code tokens_per_s}, ...). */
  public static final class Stats {
    public static final String N = "n";
    public static final String MEAN = "mean";
    public static final String P5 = "p5";
    public static final String P50 = "p50";
    public static final String P90 = "p90";
    public static final String P95 = "p95";
    public static final String P99 = "p99";
    public static final String MAX = "max";

    private Stats() {}
  }

  /** The per-request sample under a phase's {@code samples}: aligned arrays, index i one request. */
  public static final class Samples {
    public static final String SEED = "seed";
    /** Set by the gate when the samples were taken again from requests.jsonl. */
    public static final String SOURCE = "source";
    /** Per request, for embeddings and rerank only: texts embedded or documents ranked. */
    public static final String INPUTS = "inputs";
    /** The arrays, in the order the aggregator's reservoir keeps a request's values; the last, inputs, only where a phase has any. */
    public static final List<String> KEYS =
        List.of(Phase.TTFT_MS, Phase.TPOT_MS, Phase.E2E_MS, Phase.TOKENS_PER_S, Phase.OUTPUT_TOKENS, INPUTS);

    private Samples() {}
  }

  /** The encoded histograms under a phase's {@code histograms} that are not latency figures: lengths in tokens. */
  public static final class Histograms {
    public static final String PROMPT_TOKENS = "prompt_tokens";
    public static final String OUTPUT_TOKENS = Phase.OUTPUT_TOKENS;

    private Histograms() {}
  }

  /** The {@code gpu} object's fields that other packages than the aggregator read. */
  public static final class Gpu {
    public static final String GPUS = "gpus";
    public static final String ENERGY_SOURCE = "energy_source";
    public static final String J_PER_TOKEN = "j_per_token";

    private Gpu() {}
  }
}
