package io.llmload.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import io.llmload.gate.SummaryFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The runs being compared, read through summary.json (a run folder or the file itself), each with a
 * short label, their parameters side by side and one row per measured phase.
 */
final class RunSet {
  /** One run: its label, where it was read from and its summary. */
  record Run(String label, Path source, JsonNode summary) {}

  /** One parameter's value in every run (null: absent there) and whether they differ. */
  record Param(String name, List<@Nullable String> values, boolean differs) {}

  /** One measured phase of one run: the figures the tables and charts use. */
  record Row(String run, String phase, @Nullable Double level, long requests, long failed, double tokensPerS,
      double perUserTokensPerS, double ttftP50, double ttftP95, double tpotP50, double e2eP50,
      double jPerToken, int gpus) {

    /** Aggregate output tokens/s per GPU, or NaN without GPU data. */
    double tokensPerSPerGpu() {
      return gpus > 0 ? tokensPerS / gpus : Double.NaN;
    }
  }

  final List<Run> runs;

  private RunSet(List<Run> runs) {
    this.runs = runs;
  }

  /** Reads every path; a bad one ends with an IllegalArgumentException naming it (one line). */
  static RunSet read(List<Path> paths) {
    if (paths.size() < 2) throw new IllegalArgumentException("compare: give two or more run folders or summary.json files");
    List<Run> runs = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i);
      JsonNode s;
      try {
        s = SummaryFiles.read(p, "run " + (i + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
      String label = s.path(SummaryJson.RUN).path(SummaryJson.Run.FOLDER).asText("");
      if (label.isBlank()) label = fallbackLabel(p);
      String unique = label;
      for (int k = 2; !seen.add(unique); k++) unique = label + " (" + k + ")";
      runs.add(new Run(unique, p, s));
    }
    return new RunSet(List.copyOf(runs));
  }

  /** Identity and parameters of every run, in first-seen order; the varying ones flagged. */
  List<Param> parameters() {
    Map<String, List<@Nullable String>> byName = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      JsonNode r = runs.get(i).summary().path(SummaryJson.RUN);
      Map<String, String> flat = new LinkedHashMap<>();
      for (String k : List.of(SummaryJson.Run.SIMULATION, SummaryJson.Run.PROTOCOL, SummaryJson.Run.MODEL,
          SummaryJson.Run.TARGET, SummaryJson.Run.MAX_TOKENS)) {
        if (r.hasNonNull(k)) flat.put(k, text(r.get(k)));
      }
      if (r.path(SummaryJson.Run.EMULATOR).isObject()) {
        flat.put(SummaryJson.Run.EMULATOR, r.get(SummaryJson.Run.EMULATOR).path("profile").asText("yes"));
      }
      r.path(SummaryJson.Run.PARAMETERS).fields().forEachRemaining(e -> flat.put(e.getKey(), text(e.getValue())));
      for (Map.Entry<String, String> e : flat.entrySet()) {
        List<@Nullable String> vals = byName.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        while (vals.size() < i) vals.add(null);
        vals.add(e.getValue());
      }
    }
    List<Param> out = new ArrayList<>();
    byName.forEach((name, vals) -> {
      while (vals.size() < runs.size()) vals.add(null);
      boolean differs = vals.stream().distinct().count() > 1;
      out.add(new Param(name, vals, differs));
    });
    return out;
  }

  private static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** Every measured phase of every run, in run order then phase order. */
  List<Row> rows() {
    List<Row> out = new ArrayList<>();
    for (Run run : runs) {
      for (JsonNode p : run.summary().path(SummaryJson.PHASES)) {
        JsonNode gpu = p.path(Phase.GPU);
        out.add(new Row(run.label(), p.path(Phase.NAME).asText(), p.path(Phase.LEVEL).isNumber() ? p.get(Phase.LEVEL).asDouble() : null,
            p.path(Phase.REQUESTS).asLong(), p.path(Phase.FAILED).asLong(), num(p.path(Phase.OUTPUT_TOKENS_PER_S)),
            num(p.path(Phase.TOKENS_PER_S).path(Stats.P50)), num(p.path(Phase.TTFT_MS).path(Stats.P50)),
            num(p.path(Phase.TTFT_MS).path(Stats.P95)), num(p.path(Phase.TPOT_MS).path(Stats.P50)), num(p.path(Phase.E2E_MS).path(Stats.P50)),
            num(gpu.path(Gpu.J_PER_TOKEN)), gpu.path(Gpu.GPUS).asInt(0)));
      }
    }
    return out;
  }

  /** Rows on the Pareto front of (aggregate tokens/s, per-user tokens/s): no other row is at least as good in both and better in one. */
  static List<Row> pareto(List<Row> rows) {
    List<Row> front = new ArrayList<>();
    for (Row r : rows) {
      if (Double.isNaN(r.tokensPerS()) || Double.isNaN(r.perUserTokensPerS())) continue;
      boolean dominated = false;
      for (Row o : rows) {
        if (o == r || Double.isNaN(o.tokensPerS()) || Double.isNaN(o.perUserTokensPerS())) continue;
        if (o.tokensPerS() >= r.tokensPerS() && o.perUserTokensPerS() >= r.perUserTokensPerS()
            && (o.tokensPerS() > r.tokensPerS() || o.perUserTokensPerS() > r.perUserTokensPerS())) {
          dominated = true;
          break;
        }
      }
      if (!dominated) front.add(r);
    }
    return front;
  }

  static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static String fallbackLabel(Path p) {
    Path a = p.toAbsolutePath().normalize();
    Path name = a.getFileName();
    if (name != null && name.toString().endsWith(".json") && a.getParent() != null && a.getParent().getFileName() != null) {
      return a.getParent().getFileName().toString();
    }
    return name == null ? a.toString() : name.toString();
  }
}
