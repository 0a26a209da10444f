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

  /** The {@code slo} object: the bounds goodput is judged by. */
  public static final class Slo {
    public static final String TTFT_MS = "ttft_ms";
    public static final String TPOT_MS = "tpot_ms";
    public static final String E2E_MS = "e2e_ms";

    private Slo() {}
  }

  /** The {@code findings} object: saturation findings over the levels. */
  public static final class Findings {
    public static final String BEST_THROUGHPUT_LEVEL = "best_throughput_level";
    public static final String SATURATION_LEVEL = "saturation_level";
    public static final String BEST_GOODPUT_LEVEL = "best_goodput_level";
    public static final String SCALING_FACTOR = "scaling_factor";
    public static final String SLO_BREAK_LEVEL = "slo_break_level";
    public static final String TEXT = "text";

    private Findings() {}
  }

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

  /** The {@code run.hardware_from} object: where the hardware figures came from. */
  public static final class HardwareFrom {
    public static final String PLACEMENT = "placement";
    public static final String HOST = "host";
    public static final String COLLECTOR_URL = "collector_url";
    public static final String GPU_SELECTION = "gpu_selection";
    public static final String TEXT = "text";

    private HardwareFrom() {}
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

  /** A phase's {@code connection} object: connection setup of its measured requests. */
  public static final class Connection {
    public static final String REUSED = "reused";
    public static final String NEW = "new";
    public static final String REUSED_SHARE = "reused_share";
    public static final String CONNECT_MS = "connect_ms";
    public static final String TLS_MS = "tls_ms";

    private Connection() {}
  }

  /** A phase's {@code gpu} object: the GPUs over the measured window. */
  public static final class Gpu {
    public static final String GPUS = "gpus";
    public static final String GPU_NAME = "gpu_name";
    public static final String UTIL_AVG_PCT = "util_avg_pct";
    public static final String UTIL_MAX_PCT = "util_max_pct";
    public static final String POWER_AVG_W = "power_avg_w";
    public static final String POWER_MAX_W = "power_max_w";
    public static final String POWER_LIMIT_W = "power_limit_w";
    public static final String SM_CLOCK_AVG_MHZ = "sm_clock_avg_mhz";
    public static final String SM_CLOCK_MAX_MHZ = "sm_clock_max_mhz";
    public static final String MEM_USED_MAX_MIB = "mem_used_max_mib";
    public static final String MEM_TOTAL_MIB = "mem_total_mib";
    public static final String TEMP_MAX_C = "temp_max_c";
    public static final String ENERGY_J = "energy_j";
    public static final String ENERGY_SOURCE = "energy_source";
    public static final String ENERGY_COVERS_WINDOW = "energy_covers_window";
    public static final String ENERGY_SCOPE = "energy_scope";
    public static final String J_PER_TOKEN = "j_per_token";
    public static final String TOKENS_PER_WH = "tokens_per_wh";
    public static final String ENERGY_COST = "energy_cost";
    public static final String PER_GPU = "per_gpu";

    private Gpu() {}

    /** One entry of {@code per_gpu}. */
    public static final class PerGpu {
      public static final String UUID = "uuid";
      public static final String ENERGY_J = Gpu.ENERGY_J;
      public static final String ENERGY_SOURCE = Gpu.ENERGY_SOURCE;
      public static final String POWER_AVG_W = Gpu.POWER_AVG_W;
      public static final String MEM_USED_MAX_MIB = Gpu.MEM_USED_MAX_MIB;
      public static final String TEMP_MAX_C = Gpu.TEMP_MAX_C;

      private PerGpu() {}
    }

    /** The {@code energy_cost} object, present when a price per kWh was given. */
    public static final class EnergyCost {
      public static final String VALUE = "value";
      public static final String CURRENCY = "currency";
      public static final String PRICE_PER_KWH = "price_per_kwh";

      private EnergyCost() {}
    }

    /** The values of {@code energy_source} (values, not field names). */
    public static final class EnergySource {
      public static final String COUNTER = "counter";
      public static final String INTEGRATED_POWER = "integrated_power";
      public static final String COUNTER_AND_INTEGRATED_POWER = "counter_and_integrated_power";

      private EnergySource() {}
    }

    /** The value of {@code energy_scope} when a GPU is split into MIG instances. */
    public static final class EnergyScope {
      public static final String WHOLE_GPU_UNDER_MIG = "whole_gpu_under_mig";

      private EnergyScope() {}
    }
  }

  /** A phase's {@code process} object: the inference-server processes, summed per sample. */
  public static final class Process {
    public static final String CPU_AVG_PCT = "cpu_avg_pct";
    public static final String CPU_MAX_PCT = "cpu_max_pct";
    public static final String RSS_AVG_MIB = "rss_avg_mib";
    public static final String RSS_MAX_MIB = "rss_max_mib";
    public static final String THREADS_MAX = "threads_max";

    private Process() {}
  }

  /** A phase's {@code host} object: host CPU, memory and RAPL CPU energy. */
  public static final class Host {
    public static final String CPU_AVG_PCT = "cpu_avg_pct";
    public static final String CPU_MAX_PCT = "cpu_max_pct";
    public static final String MEM_USED_MAX_MIB = "mem_used_max_mib";
    public static final String MEM_TOTAL_MIB = "mem_total_mib";
    public static final String CPU_ENERGY_J = "cpu_energy_j";
    public static final String CPU_ENERGY_COVERS_WINDOW = "cpu_energy_covers_window";
    public static final String CPU_J_PER_TOKEN = "cpu_j_per_token";

    private Host() {}
  }

  /** Each gauge's object under a phase's {@code server_metrics}. */
  public static final class ServerGauge {
    public static final String AVG = "avg";
    public static final String MAX = "max";

    private ServerGauge() {}
  }

  /** A phase's {@code server_tokens} object: the server's token counters beside the client's counts. */
  public static final class ServerTokens {
    public static final String PROMPT_TOKENS_PER_S = "prompt_tokens_per_s";
    public static final String GENERATION_TOKENS_PER_S = "generation_tokens_per_s";
    public static final String CLIENT_OUTPUT_TOKENS_PER_S = "client_output_tokens_per_s";
    public static final String GENERATION_VS_CLIENT = "generation_vs_client";
    public static final String CLIENT_PROMPT_TOKENS_PER_S = "client_prompt_tokens_per_s";
    public static final String PROMPT_VS_CLIENT = "prompt_vs_client";

    private ServerTokens() {}
  }
}
