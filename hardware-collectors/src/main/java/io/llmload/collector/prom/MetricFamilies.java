package io.llmload.collector.prom;

import java.util.Set;

/**
 * The Prometheus series kept in {@code server-metrics.jsonl}: queue, running batch, KV-cache use and
 * token counters of vLLM, SGLang, TGI and llama.cpp (histograms by their {@code _sum} and
 * {@code _count} only), and every {@code DCGM_FI_*} series. Counters are stored whole; the aggregator
 * takes deltas over a window.
 */
public final class MetricFamilies {

  private MetricFamilies() {}

  /** Exact names kept (as exposed, e.g. with the {@code _total} that prometheus_client adds). */
  public static final Set<String> SERVER =
      Set.of(
          // vLLM
          "vllm:num_requests_running",
          "vllm:num_requests_waiting",
          "vllm:num_requests_swapped",
          "vllm:kv_cache_usage_perc",
          "vllm:gpu_cache_usage_perc",
          "vllm:num_preemptions_total",
          "vllm:prompt_tokens_total",
          "vllm:generation_tokens_total",
          "vllm:request_success_total",
          "vllm:prefix_cache_queries_total",
          "vllm:prefix_cache_hits_total",
          "vllm:time_to_first_token_seconds_sum",
          "vllm:time_to_first_token_seconds_count",
          "vllm:inter_token_latency_seconds_sum",
          "vllm:inter_token_latency_seconds_count",
          "vllm:e2e_request_latency_seconds_sum",
          "vllm:e2e_request_latency_seconds_count",
          "vllm:request_queue_time_seconds_sum",
          "vllm:request_queue_time_seconds_count",
          // SGLang
          "sglang:num_running_reqs",
          "sglang:num_queue_reqs",
          "sglang:num_used_tokens",
          "sglang:token_usage",
          "sglang:gen_throughput",
          "sglang:cache_hit_rate",
          "sglang:max_total_num_tokens",
          "sglang:prompt_tokens_total",
          "sglang:generation_tokens_total",
          "sglang:cached_tokens_total",
          "sglang:num_requests_total",
          "sglang:num_aborted_requests_total",
          "sglang:time_to_first_token_seconds_sum",
          "sglang:time_to_first_token_seconds_count",
          "sglang:inter_token_latency_seconds_sum",
          "sglang:inter_token_latency_seconds_count",
          // TGI
          "tgi_queue_size",
          "tgi_batch_current_size",
          "tgi_batch_current_max_tokens",
          "tgi_batch_max_total_tokens",
          "tgi_request_count",
          "tgi_request_success",
          "tgi_request_failure",
          "tgi_request_generated_tokens_sum",
          "tgi_request_generated_tokens_count",
          "tgi_request_input_length_sum",
          "tgi_request_input_length_count",
          "tgi_request_queue_duration_sum",
          "tgi_request_queue_duration_count",
          "tgi_request_mean_time_per_token_duration_sum",
          "tgi_request_mean_time_per_token_duration_count");

  /** Whether a series from an inference server's {@code /metrics} is kept. All {@code llamacpp:} series are (a dozen). */
  public static boolean server(String name) {
    return SERVER.contains(name) || name.startsWith("llamacpp:") || name.startsWith("DCGM_FI_");
  }

  /** Whether a series from the DCGM exporter is kept. */
  public static boolean dcgm(String name) {
    return name.startsWith("DCGM_FI_");
  }
}
