package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.ServerTokens;
import io.llmload.collector.runfolder.SummaryJson.ServerGauge;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.collector.EnergyMath;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The server's scraped metrics over one phase window: queue and batch gauges per label set (one
 * engine's KV-cache usage is not added to another's), and counters ({@code _total}) as rates over
 * the window, the counter interpolated at the window's edges like the GPU energy counter.
 */
final class ServerMetricsPhase {
  // Gauges that show queueing, batching and cache use (SGLang: token_usage); info series left out.
  static final Pattern GAUGE =
      Pattern.compile(".*(running|waiting|queue|batch|deferred|processing|cache_usage|busy_slots|token_usage).*");
  static final Pattern NOT_GAUGE = Pattern.compile(".*(_total|_bucket|_sum|_count|_created|_info)$");
  static final Pattern COUNTER = Pattern.compile(".*_total$");
  static final Pattern GENERATION = Pattern.compile(".*(generation_tokens|tokens_predicted)_total$");
  static final Pattern PROMPT = Pattern.compile(".*prompt_tokens(_processed)?_total$");
  private static final int MAX_SERIES = 48;

  final long fromUs;
  final long toUs;
  // name → label set → {sum, n, max}
  private final Map<String, Map<String, double[]>> gauges = new LinkedHashMap<>();
  private final Map<String, Map<String, GpuTrack.Series>> counters = new LinkedHashMap<>();
  private int series;

  ServerMetricsPhase(long fromUs, long toUs) {
    this.fromUs = fromUs;
    this.toUs = toUs;
  }

  void scrape(long us, JsonNode samples) {
    for (JsonNode s : samples) {
      String name = s.path("name").asText("");
      JsonNode v = s.get("value");
      if (v == null || !v.isNumber()) continue;
      if (COUNTER.matcher(name).matches()) {
        GpuTrack.Series c = slot(counters, name, labels(s.path("labels")), GpuTrack.Series::new);
        if (c != null) c.offer(us, v.asDouble(), fromUs, toUs);
      } else if (us >= fromUs && us <= toUs && GAUGE.matcher(name).matches() && !NOT_GAUGE.matcher(name).matches()) {
        double[] g = slot(gauges, name, labels(s.path("labels")), () -> new double[] {0, 0, Double.NEGATIVE_INFINITY});
        if (g == null) continue;
        g[0] += v.asDouble();
        g[1]++;
        g[2] = Math.max(g[2], v.asDouble());
      }
    }
  }

  private <T> @Nullable T slot(Map<String, Map<String, T>> m, String name, String labels, java.util.function.Supplier<T> make) {
    Map<String, T> byLabels = m.get(name);
    T t = byLabels == null ? null : byLabels.get(labels);
    if (t != null) return t;
    if (series >= MAX_SERIES) return null;
    series++;
    t = make.get();
    m.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(labels, t);
    return t;
  }

  private static String labels(JsonNode l) {
    if (!l.isObject() || l.isEmpty()) return "";
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sorted.put(e.getKey(), e.getValue().asText());
    }
    StringBuilder b = new StringBuilder("{");
    sorted.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append('=').append(v));
    return b.append('}').toString();
  }

  /** Gauges: {@code name} when it had one label set in the window, else {@code name{labels}}, each {"avg","max"}. */
  @Nullable ObjectNode gaugesJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    gauges.forEach((name, byLabels) -> byLabels.forEach((labels, g) -> {
      ObjectNode m = o.putObject(byLabels.size() == 1 ? name : name + labels);
      m.put(ServerGauge.AVG, Num.round(g[0] / g[1]));
      m.put(ServerGauge.MAX, Num.round(g[2]));
    }));
    return o.isEmpty() ? null : o;
  }

  /** Counter increase per second over the window, summed over label sets; NaN without two samples. */
  double ratePerS(String name) {
    Map<String, GpuTrack.Series> byLabels = counters.get(name);
    if (byLabels == null) return Double.NaN;
    double sum = 0;
    boolean any = false;
    for (GpuTrack.Series s : byLabels.values()) {
      if (s.n < 2) continue;
      long[] v = new long[s.n];
      // Scaled by 1000 so that EnergyMath's mJ → J division gives the counter's own units.
      for (int i = 0; i < v.length; i++) v[i] = Math.round(s.v[i] * 1000);
      sum += EnergyMath.counterDeltaJ(Arrays.copyOf(s.tMs, s.n), v, fromUs / 1000.0, toUs / 1000.0);
      any = true;
    }
    return any ? sum / ((toUs - fromUs) / 1e6) : Double.NaN;
  }

  /** {@code {name: per_s}} for every counter, or null. */
  @Nullable ObjectNode countersJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (String name : counters.keySet()) GpuPhase.putOrNull(o, name, ratePerS(name));
    return o.isEmpty() ? null : o;
  }

  /**
   * Server-counted prompt and generation tokens/s beside the client's output and prompt tokens/s
   * over the same window, or null when the server exports no token counter.
   */
  @Nullable ObjectNode tokensJson(double clientOutputPerS, double clientPromptPerS) {
    double gen = Double.NaN, prompt = Double.NaN;
    for (String name : counters.keySet()) {
      double r = ratePerS(name);
      if (Double.isNaN(r)) continue;
      if (GENERATION.matcher(name).matches()) gen = Double.isNaN(gen) ? r : gen + r;
      else if (PROMPT.matcher(name).matches()) prompt = Double.isNaN(prompt) ? r : prompt + r;
    }
    if (Double.isNaN(gen) && Double.isNaN(prompt)) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    GpuPhase.putOrNull(o, ServerTokens.PROMPT_TOKENS_PER_S, prompt);
    GpuPhase.putOrNull(o, ServerTokens.GENERATION_TOKENS_PER_S, gen);
    GpuPhase.putOrNull(o, ServerTokens.CLIENT_OUTPUT_TOKENS_PER_S, clientOutputPerS);
    GpuPhase.putOrNull(o, ServerTokens.GENERATION_VS_CLIENT, gen / clientOutputPerS);
    GpuPhase.putOrNull(o, ServerTokens.CLIENT_PROMPT_TOKENS_PER_S, clientPromptPerS);
    GpuPhase.putOrNull(o, ServerTokens.PROMPT_VS_CLIENT, prompt / clientPromptPerS);
    return o;
  }
}
