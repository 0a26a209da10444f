package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The GET endpoints. Every one marks the server as the emulator ({@code owned_by},
 * {@code "synthetic": true}) so that reports can label a run synthetic.
 */
final class InfoEndpoints {
  record Response(String contentType, String body) {}

  private static final String JSON_TYPE = "application/json";

  private InfoEndpoints() {}

  static @Nullable Response get(ServerState s, String path) {
    return switch (path) {
      case "/v1/models" -> json(models(s));
      case "/health" -> json(RequestHandler.object().put("status", "ok").put("synthetic", true));
      case "/props" -> json(props(s));
      case "/info" -> json(info(s));
      case "/api/version" -> json(RequestHandler.object().put("version", "0.0.0-llm-load-suite-emulator").put("synthetic", true));
      case "/api/tags" -> json(tags(s));
      case "/metrics" -> new Response("text/plain; version=0.0.4; charset=utf-8", metrics(s));
      default -> null;
    };
  }

  private static Response json(ObjectNode o) {
    return new Response(JSON_TYPE, o.toString());
  }

  private static ObjectNode emulator(ServerState s, ObjectNode o) {
    o.put("profile", s.config.profile());
    o.put("seed", s.config.seed());
    o.put("jitter", s.config.jitter());
    o.put("synthetic", true);
    return o;
  }

  private static ObjectNode models(ServerState s) {
    ObjectNode root = RequestHandler.object();
    root.put("object", "list");
    ObjectNode m = root.putArray("data").addObject();
    m.put("id", s.config.model());
    m.put("object", "model");
    m.put("created", s.startedEpochSeconds);
    m.put("owned_by", "llm-load-suite-emulator");
    m.putNull("root");
    emulator(s, m.putObject("emulator"));
    m.put("synthetic", true);
    return root;
  }

  private static ObjectNode props(ServerState s) {
    ObjectNode root = RequestHandler.object();
    ObjectNode g = root.putObject("default_generation_settings");
    g.put("n_ctx", 8192);
    g.putObject("params").put("n_predict", s.params.defaultMaxTokens()).put("seed", s.config.seed());
    root.put("total_slots", s.params.maxBatch() == Integer.MAX_VALUE ? -1 : s.params.maxBatch());
    root.put("model_path", "emulated/" + s.config.model());
    root.put("build_info", "llm-load-suite-emulator");
    emulator(s, root.putObject("emulator"));
    root.put("synthetic", true);
    return root;
  }

  private static ObjectNode info(ServerState s) {
    ObjectNode root = RequestHandler.object();
    root.put("model_id", s.config.model());
    root.putNull("model_sha");
    root.put("model_dtype", "emulated");
    root.put("model_device_type", "emulated");
    root.put("max_concurrent_requests", s.params.maxBatch() == Integer.MAX_VALUE ? -1 : s.params.maxBatch() + s.params.queueLimit());
    root.put("max_best_of", 1);
    root.put("max_input_tokens", 8192);
    root.put("max_total_tokens", 16384);
    root.put("router", "llm-load-suite-emulator");
    root.put("version", "0.0.0-emulator");
    root.putNull("sha");
    emulator(s, root.putObject("emulator"));
    root.put("synthetic", true);
    return root;
  }

  private static ObjectNode tags(ServerState s) {
    ObjectNode root = RequestHandler.object();
    ObjectNode m = root.putArray("models").addObject();
    m.put("name", s.config.model());
    m.put("model", s.config.model());
    m.putObject("details").put("format", "emulated").put("family", "llm-load-suite-emulator");
    m.put("synthetic", true);
    return root;
  }

  /**
   * vLLM-style Prometheus text. {@code vllm:kv_cache_usage_perc} is emulated as the share of batch
   * slots in use (the emulator has no KV cache; a full batch is where a real one runs out).
   */
  static String metrics(ServerState s) {
    String labels = "{model_name=\"" + s.config.model().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    int running = s.scheduler.runningCount;
    int waiting = s.scheduler.waitingCount;
    double kv = s.params.maxBatch() == Integer.MAX_VALUE ? 0 : (double) running / s.params.maxBatch();
    StringBuilder b = new StringBuilder(2048);
    b.append("# emulated by llm-load-suite-emulator, profile ").append(s.config.profile()).append(" (synthetic)\n");
    gauge(b, "vllm:num_requests_running", "Number of requests in model execution batches.", labels, running);
    gauge(b, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, waiting);
    b.append("# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.\n# TYPE vllm:kv_cache_usage_perc gauge\n")
        .append("vllm:kv_cache_usage_perc").append(labels).append(' ').append(String.format(Locale.ROOT, "%.6f", kv)).append('\n');
    counter(b, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels, s.promptTokens.sum());
    counter(b, "vllm:generation_tokens_total", "Number of generation tokens processed.", labels, s.generationTokens.sum());
    String base = labels.substring(0, labels.length() - 1);
    b.append("# HELP vllm:request_success_total Count of successfully processed requests.\n# TYPE vllm:request_success_total counter\n");
    b.append("vllm:request_success_total").append(base).append(",finished_reason=\"length\"} ").append(s.finishedLength.sum()).append('\n');
    b.append("vllm:request_success_total").append(base).append(",finished_reason=\"stop\"} ").append(s.finishedStop.sum()).append('\n');
    b.append("vllm:request_success_total").append(base).append(",finished_reason=\"abort\"} ").append(s.finishedAbort.sum()).append('\n');
    counter(b, "emulator:requests_refused_total", "Requests refused because batch and queue were full.", labels, s.refused.sum());
    counter(b, "emulator:steps_total", "Decode steps run (fixed-rate mode: scheduler wake-ups).", labels, s.scheduler.steps.get());
    return b.toString();
  }

  private static void gauge(StringBuilder b, String name, String help, String labels, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
        .append(name).append(labels).append(' ').append(v).append('\n');
  }

  private static void counter(StringBuilder b, String name, String help, String labels, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
        .append(name).append(labels).append(' ').append(v).append('\n');
  }
}
