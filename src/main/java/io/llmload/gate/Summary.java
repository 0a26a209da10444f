package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the gate reads of a summary.json (schema 1), checked on the way in: a field of the wrong
 * type is a corrupt file and fails with one line naming it, never a value silently taken as 0.
 */
final class Summary {
  final String label;
  final boolean complete;
  final @Nullable String simulation;
  final @Nullable String protocol;
  final @Nullable String model;
  final @Nullable String maxTokens;
  final @Nullable String emulatorProfile;
  /** Version of the metric definitions the run's records followed; 1 when the file does not say. */
  final int definitions;
  final @Nullable String target;
  /** The run's -D parameters as text, empty when the summary lists none. */
  final Map<String, String> parameters = new java.util.TreeMap<>();
  final List<Phase> phases = new ArrayList<>();

  private Summary(JsonNode root, String label, List<String> warnings) {
    this.label = label;
    if (root == null || !root.isObject()) {
      throw corrupt("not a JSON object");
    }
    JsonNode schema = root.get(SummaryJson.SCHEMA_FIELD);
    if (schema == null || !schema.isIntegralNumber()) {
      throw corrupt("no integer \"" + SummaryJson.SCHEMA_FIELD + "\" field: not a summary.json");
    }
    if (schema.asInt() < 1) {
      throw corrupt("schema " + schema.asInt() + " is not supported (expected 1)");
    }
    if (schema.asInt() > 1) {
      warnings.add(label + " has schema " + schema.asInt() + "; read as schema 1 (later versions only add fields)");
    }
    JsonNode run = root.get(SummaryJson.RUN);
    if (run == null || !run.isObject()) {
      throw corrupt("no \"run\" object");
    }
    simulation = text(run, Run.SIMULATION);
    protocol = text(run, Run.PROTOCOL);
    model = text(run, Run.MODEL);
    maxTokens = text(run, Run.MAX_TOKENS);
    JsonNode emulator = run.get(Run.EMULATOR);
    if (emulator != null && emulator.isObject()) {
      String p = text(emulator, "profile");
      emulatorProfile = p == null ? "(unnamed emulator profile)" : p;
    } else {
      emulatorProfile = null;
    }
    target = text(run, Run.TARGET);
    JsonNode params = run.get(Run.PARAMETERS);
    if (params != null && params.isObject()) {
      params.fields().forEachRemaining(e -> {
        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
          parameters.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    JsonNode defs = root.get(SummaryJson.DEFINITIONS);
    if (defs == null || defs.isNull()) {
      definitions = 1;
    } else if (!defs.isIntegralNumber() || defs.asInt() < 1) {
      throw corrupt("\"definitions\" is not a positive integer");
    } else {
      definitions = defs.asInt();
    }
    JsonNode c = root.get(SummaryJson.COMPLETE);
    complete = c == null || c.isNull() || c.asBoolean(true);
    JsonNode skipped = root.get(SummaryJson.SKIPPED_LINES);
    if (skipped != null && skipped.isNumber() && skipped.asLong() > 0) {
      warnings.add(label + " skipped " + skipped.asLong() + " torn or unreadable requests.jsonl lines");
    }
    JsonNode ph = root.get(SummaryJson.PHASES);
    if (ph == null || !ph.isArray() || ph.isEmpty()) {
      throw corrupt("no \"phases\" list, or an empty one");
    }
    Map<String, Boolean> seen = new HashMap<>();
    for (int i = 0; i < ph.size(); i++) {
      Phase p = new Phase(ph.get(i), "phases[" + i + "]");
      if (seen.put(p.name, Boolean.TRUE) != null) {
        throw corrupt("phase name '" + p.name + "' appears twice");
      }
      phases.add(p);
    }
  }

  static Summary parse(JsonNode root, String label, List<String> warnings) {
    return new Summary(root, label, warnings);
  }

  @Nullable Phase phase(String name) {
    for (Phase p : phases) {
      if (p.name.equals(name)) {
        return p;
      }
    }
    return null;
  }

  List<String> phaseNames() {
    return phases.stream().map(p -> p.name).toList();
  }

  private GateInputException corrupt(String what) {
    return new GateInputException(label + ": " + what);
  }

  private @Nullable String text(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw corrupt("run." + field + " is not a plain value");
    }
    return v.asText();
  }

  /** One phase: its counts, summary values and per-request samples. */
  final class Phase {
    final String name;
    final @Nullable Integer requests;
    final @Nullable Integer failed;
    /** Concurrency (closed model) or request rate (open model), when given. */
    final @Nullable Double level;
    /** GPUs the collector saw in this phase, null without GPU data. */
    final @Nullable Integer gpus;
    /** Where the phase's GPU energy came from (counter, integrated_power), null when unknown. */
    final @Nullable String energySource;
    private final JsonNode node;
    private final String where;
    private final Map<String, double @Nullable []> samples = new HashMap<>();

    Phase(JsonNode node, String where) {
      this.where = where;
      if (node == null || !node.isObject()) {
        throw corrupt(where + " is not an object");
      }
      JsonNode n = node.get(SummaryJson.Phase.NAME);
      if (n == null || !n.isTextual() || n.asText().isEmpty()) {
        throw corrupt(where + " has no name");
      }
      this.name = n.asText();
      this.node = node;
      this.requests = count(SummaryJson.Phase.REQUESTS);
      JsonNode lv = node.get(SummaryJson.Phase.LEVEL);
      this.level = lv != null && lv.isNumber() && Double.isFinite(lv.asDouble()) ? lv.asDouble() : null;
      this.failed = count(SummaryJson.Phase.FAILED);
      JsonNode gpu = node.get(SummaryJson.Phase.GPU);
      if (gpu != null && gpu.isObject()) {
        JsonNode g = gpu.get(Gpu.GPUS);
        this.gpus = g != null && g.isIntegralNumber() ? g.asInt() : null;
        JsonNode src = gpu.get(Gpu.ENERGY_SOURCE);
        this.energySource = src != null && src.isTextual() ? src.asText() : null;
      } else {
        this.gpus = null;
        this.energySource = null;
      }
      if (requests != null && failed != null && failed > requests) {
        throw corrupt(where + " (" + name + ") has more failed requests than requests");
      }
    }

    private @Nullable Integer count(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
        throw corrupt(where + "." + field + " is not a non-negative integer");
      }
      return v.asInt();
    }

    @Nullable Double errorRate() {
      Double v = number(node.get(SummaryJson.Phase.ERROR_RATE), SummaryJson.Phase.ERROR_RATE);
      if (v != null) {
        return v;
      }
      return requests != null && failed != null && requests > 0 ? (double) failed / requests : null;
    }

    /** The summary's value of a metric in this phase, or null when absent. */
    @Nullable Double value(ComparedMetric m) {
      if (m == ComparedMetric.ERROR_RATE) {
        return errorRate();
      }
      JsonNode v = node.get(m.field());
      if (m.subField() == null) {
        return number(v, m.field());
      }
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        throw corrupt(where + "." + m.field() + " is not an object");
      }
      return number(v.get(m.subField()), m.field() + "." + m.subField());
    }

    private @Nullable Double number(@Nullable JsonNode v, String path) {
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw corrupt(where + "." + path + " is not a number");
      }
      return v.asDouble();
    }

    /** A fresh copy of the per-request sample, nulls left out; null when the phase has none. */
    double @Nullable [] samples(String key) {
      if (!samples.containsKey(key)) {
        samples.put(key, readSamples(key));
      }
      double[] s = samples.get(key);
      return s == null ? null : s.clone();
    }

    /**
     * The samples of two keys as pairs from the same request, or null when the lists differ in
     * length (then they cannot be rows of one reservoir). Pairs with a null on either side are
     * left out.
     */
    double @Nullable [] @Nullable [] pairedSamples(String keyA, String keyB) {
      JsonNode all = node.get(SummaryJson.Phase.SAMPLES);
      if (all == null || !all.isObject()) {
        return null;
      }
      JsonNode a = all.get(keyA);
      JsonNode b = all.get(keyB);
      if (a == null || b == null || !a.isArray() || !b.isArray() || a.size() != b.size()) {
        return null;
      }
      readSamples(keyA); // validates both lists, with the same messages as unpaired reads
      readSamples(keyB);
      double[] x = new double[a.size()];
      double[] y = new double[a.size()];
      int n = 0;
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).isNull() && !b.get(i).isNull()) {
          x[n] = a.get(i).asDouble();
          y[n] = b.get(i).asDouble();
          n++;
        }
      }
      return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }

    private double @Nullable [] readSamples(String key) {
      JsonNode all = node.get(SummaryJson.Phase.SAMPLES);
      if (all == null || all.isNull()) {
        return null;
      }
      if (!all.isObject()) {
        throw corrupt(where + ".samples is not an object");
      }
      JsonNode arr = all.get(key);
      if (arr == null || arr.isNull()) {
        return null;
      }
      if (!arr.isArray()) {
        throw corrupt(where + ".samples." + key + " is not a list");
      }
      double[] out = new double[arr.size()];
      int n = 0;
      for (int i = 0; i < arr.size(); i++) {
        JsonNode v = arr.get(i);
        if (v.isNull()) {
          continue;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
          throw corrupt(where + ".samples." + key + "[" + i + "] is not a non-negative number");
        }
        out[n++] = v.asDouble();
      }
      return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }
  }
}
