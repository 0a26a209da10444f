package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.Slo;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns one run folder, or several merged (for example from two load generators), into
 * summary.json, report.md, report.html and charts/*.png. Records are streamed; memory is bounded
 * by the number of phases, not of requests.
 */
public final class Aggregator {

  /** Version of the summary.json layout (docs/report.md). */
  public static final int SUMMARY_SCHEMA = SummaryJson.SCHEMA;

  static final String GENERATOR = "llm-load-suite " + version();
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(api[_.-]?key|secret|password|passwd|authorization|bearer|credential|auth[_.-]?token).*");

  private static final Pattern SECRET_VALUE =
      Pattern.compile("(?i)(bearer\\s|basic\\s|sk-[a-z0-9_-]{8,}|hf_[a-z0-9]{8,}|--api-key)");

  private Aggregator() {}

  /**
   * Aggregates the run folders into {@code outFolder} (created if needed; pass the run folder
   * itself for a single run).
   *
   * @return the summary, as written to {@code outFolder/summary.json}
   * @throws IllegalArgumentException with a one-line reason when a folder is not a readable run folder
   * @throws IOException when reading or writing fails
   */
  public static ObjectNode aggregate(List<Path> runFolders, Path outFolder, ReportOptions opts)
      throws IOException {
    return aggregate(runFolders, outFolder, opts, false);
  }

  /**
   * As {@link #aggregate(List, Path, ReportOptions)}; folders that differ in model, protocol,
   * max_tokens or SLO are refused unless {@code force}, and then merged with a warning.
   */
  public static ObjectNode aggregate(List<Path> runFolders, Path outFolder, ReportOptions opts, boolean force)
      throws IOException {
    if (runFolders == null || runFolders.isEmpty()) {
      throw new IllegalArgumentException("runFolders: at least one run folder is needed");
    }
    ObjectMapper json = new ObjectMapper();
    List<RunFolder> folders = new ArrayList<>();
    for (Path p : runFolders) folders.add(RunFolder.open(p, json));
    List<String> differences = MergeCheck.differences(folders);
    if (!differences.isEmpty() && !force) {
      throw new IllegalArgumentException("not merged: " + differences.get(0)
          + (differences.size() > 1 ? " (and " + (differences.size() - 1) + " more difference(s))" : "")
          + "; pass --force to merge anyway");
    }

    ObjectNode slo = slo(folders, opts);
    Double sloTtft = slo != null && slo.hasNonNull(Slo.TTFT_MS) ? slo.get(Slo.TTFT_MS).asDouble() : null;
    Double sloTpot = slo != null && slo.hasNonNull(Slo.TPOT_MS) ? slo.get(Slo.TPOT_MS).asDouble() : null;
    Double sloE2e = slo != null && slo.hasNonNull(Slo.E2E_MS) ? slo.get(Slo.E2E_MS).asDouble() : null;

    Map<String, PhaseAccumulator> phases = new LinkedHashMap<>();
    long runStart = Long.MAX_VALUE, runEnd = Long.MIN_VALUE;
    for (int fi = 0; fi < folders.size(); fi++) {
      RunFolder f = folders.get(fi);
      if (f.startUs != null) runStart = Math.min(runStart, f.startUs);
      if (f.endUs != null) runEnd = Math.max(runEnd, f.endUs);
      for (PhaseWindow w : f.phases) {
        phases.computeIfAbsent(w.name(), n -> new PhaseAccumulator(n, opts.sampleSeed())).declare(w, fi);
        runStart = Math.min(runStart, w.startEpochUs());
        runEnd = Math.max(runEnd, w.endEpochUs());
      }
      if (f.phases.isEmpty() && f.startUs != null && f.endUs != null) {
        phases.computeIfAbsent("all", n -> new PhaseAccumulator(n, opts.sampleSeed()))
            .declare(new PhaseWindow("all", null, f.startUs, f.endUs, f.startUs), fi);
      }
    }
    if (runStart == Long.MAX_VALUE) runStart = firstSent(folders);
    WindowCounts windows = RecordPass.windows(phases.values());
    Timeline timeline = new Timeline(runStart, runEnd > runStart ? runEnd - runStart : 0);

    long skipped = 0;
    boolean complete = true;
    List<String> warnings = new ArrayList<>();
    for (String d : differences) warnings.add("merged although " + d + " (forced)");
    for (RunFolder f : folders) {
      RecordPass.Segmented read = RecordPass.read(f, phases, timeline, windows, opts, sloTtft, sloTpot, sloE2e);
      if (!read.found()) warnings.add(folderName(f) + ": no requests.jsonl, so no request figures");
      skipped += read.skipped();
      warnings.addAll(ShardMerge.warnings(f));
      if (!f.declaredComplete) {
        complete = false;
        warnings.add(folderName(f) + ": the run did not end normally (run.json complete is not true);"
            + " figures cover what was recorded");
      }
      if (read.tornTail()) {
        complete = false;
        warnings.add(folderName(f) + ": requests.jsonl ends in a torn line (a killed run); it was skipped");
      }
    }
    if (skipped > 0) {
      warnings.add(String.format(Locale.ROOT, "%d torn or unreadable requests.jsonl line(s) skipped", skipped));
    }

    List<PhaseAccumulator> phaseList = new ArrayList<>(phases.values());
    int w0 = 0;
    for (PhaseAccumulator a : phaseList) {
      if (!a.declared) continue;
      a.windowTokens = windows.tokens[w0];
      a.windowEnded = windows.ended[w0];
      a.windowPromptTokens = windows.promptTokens[w0];
      a.windowGood = windows.good[w0++];
    }
    int definitions = Integer.MAX_VALUE;
    for (PhaseAccumulator a : phaseList) definitions = Math.min(definitions, a.definitions);
    HardwareReader hw = new HardwareReader();
    for (RunFolder f : folders) {
      try {
        hw.read(f, phaseList, timeline, json);
        warnings.addAll(hw.notes);
        hw.notes.clear();
      } catch (IOException | UncheckedIOException e) {
        warnings.add(folderName(f) + ": hardware files unreadable (" + RunFolder.oneLine(e.getMessage()) + ")");
      }
    }

    ObjectNode summary = json.createObjectNode();
    summary.put(SummaryJson.SCHEMA_FIELD, SUMMARY_SCHEMA);
    summary.put(SummaryJson.GENERATOR, GENERATOR);
    // The definitions the figures follow: those of the oldest record (1 when none says).
    summary.put(SummaryJson.DEFINITIONS, definitions == Integer.MAX_VALUE ? 1 : definitions);
    summary.set(SummaryJson.RUN, runSection(folders, phaseList, runStart, runEnd, json));
    summary.put(SummaryJson.COMPLETE, complete);
    summary.put(SummaryJson.SKIPPED_LINES, skipped);
    if (slo != null) summary.set(SummaryJson.SLO, slo);
    else summary.putNull(SummaryJson.SLO);
    ArrayNode phaseArray = summary.putArray(SummaryJson.PHASES);
    for (PhaseAccumulator a : phaseList) {
      if (a.requests == 0 && a.warmupRecords == 0 && !a.declared) continue;
      phaseArray.add(SummaryPhase.toJson(a, hw, opts, slo != null));
      SummaryPhase.warnings(a, warnings);
    }
    // the simulation's Gatling assertions, judged again over the folder's records (a merged
    // folder: over every shard's); several folders aggregated together are not one run
    ObjectNode asserted = folders.size() == 1 ? AssertionJudge.judge(folders.get(0), json) : null;
    if (asserted != null) summary.set(SummaryJson.ASSERTIONS, asserted);
    String levelWord = levelWord(folders);
    summary.set(SummaryJson.FINDINGS, Findings.compute(phaseArray, slo, opts.sloFraction(), levelWord));
    JsonNode capacity = CapacitySection.read(folders, phaseArray, json);
    if (capacity != null) summary.set(SummaryJson.CAPACITY, capacity);
    for (JsonNode p : phaseArray) {
      if (Gpu.EnergyScope.WHOLE_GPU_UNDER_MIG.equals(p.path(Phase.GPU).path(Gpu.ENERGY_SCOPE).asText(null))) {
        warnings.add("phase " + p.path(Phase.NAME).asText() + ": GPU power and energy are the whole GPU's, shared by"
            + " all its MIG instances, not the serving instance's alone");
      }
      String source = p.path(Phase.GPU).path(Gpu.ENERGY_SOURCE).asText("");
      if (source.contains(Gpu.EnergySource.INTEGRATED_POWER)) {
        warnings.add("phase " + p.path(Phase.NAME).asText() + ": GPU energy integrated from sampled power"
            + (source.startsWith(Gpu.EnergySource.COUNTER) ? " for the GPUs without an energy counter" : " (no energy counter)")
            + ", so it is an estimate");
      }
      if (p.path(Phase.GPU).path(Gpu.ENERGY_COVERS_WINDOW).isBoolean() && !p.path(Phase.GPU).path(Gpu.ENERGY_COVERS_WINDOW).asBoolean()) {
        warnings.add("phase " + p.path(Phase.NAME).asText() + ": GPU samples do not reach both edges of the window,"
            + " so its energy covers less than the window");
      }
    }
    String selection = summary.path(SummaryJson.RUN).path(Run.HARDWARE_FROM).path(SummaryJson.HardwareFrom.GPU_SELECTION).asText("");
    if (selection.contains("sampling every GPU")) {
      warnings.add("GPU figures cover every GPU of the host, not only the server's: " + selection);
    }
    ArrayNode w = summary.putArray(SummaryJson.WARNINGS);
    warnings.forEach(w::add);

    Files.createDirectories(outFolder);
    writeAtomically(outFolder.resolve(FileNames.SUMMARY),
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary));
    writeAtomically(outFolder.resolve("phases.csv"), io.llmload.compare.PhaseCsv.of(summary)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ObjectNode series = timeline.toJson(phaseList);
    ObjectNode distribution = SummaryPhase.speedDistribution(phaseList);
    List<String> pngs = opts.pngCharts()
        ? new PngCharts(summary, series, distribution, levelWord).write(outFolder.resolve("charts"))
        : List.of();
    if (capacity != null) pngs = CapacitySection.writeChart(capacity, outFolder.resolve("charts"), pngs);
    new MarkdownReport(summary, pngs).write(outFolder.resolve(FileNames.REPORT_MD));
    new HtmlReport(summary, series, distribution, levelWord).write(outFolder.resolve(FileNames.REPORT_HTML));
    return summary;
  }

  private static @Nullable ObjectNode slo(List<RunFolder> folders, ReportOptions opts) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    if (opts.hasSlo()) {
      if (opts.sloTtft() != null) o.put(Slo.TTFT_MS, opts.sloTtft().toNanos() / 1e6);
      if (opts.sloTpot() != null) o.put(Slo.TPOT_MS, opts.sloTpot().toNanos() / 1e6);
      if (opts.sloE2e() != null) o.put(Slo.E2E_MS, opts.sloE2e().toNanos() / 1e6);
      return o;
    }
    JsonNode s = folders.get(0).field("slo");
    for (String k : new String[] {Slo.TTFT_MS, Slo.TPOT_MS, Slo.E2E_MS}) {
      if (s.path(k).isNumber() && s.get(k).asDouble() > 0) o.put(k, s.get(k).asDouble());
    }
    return o.isEmpty() ? null : o;
  }

  private static ObjectNode runSection(List<RunFolder> folders, List<PhaseAccumulator> phases,
      long start, long end, ObjectMapper json) {
    RunFolder first = folders.get(0);
    ObjectNode r = json.createObjectNode();
    r.put(Run.FOLDER, folderName(first));
    if (folders.size() > 1) {
      ArrayNode all = r.putArray(Run.FOLDERS);
      folders.forEach(f -> all.add(folderName(f)));
    }
    copyText(r, first, Run.SIMULATION);
    copyText(r, first, Run.PROTOCOL);
    copyText(r, first, Run.MODEL);
    copyText(r, first, Run.TARGET);
    JsonNode emu = first.field("emulator");
    if (emu.isObject()) r.set(Run.EMULATOR, emu.deepCopy());
    else r.putNull(Run.EMULATOR);
    long maxTokens = RequestRecord.ABSENT;
    for (PhaseAccumulator a : phases) maxTokens = Math.max(maxTokens, a.warnings.maxTokensSeen);
    JsonNode params = first.field("parameters");
    if (maxTokens == RequestRecord.ABSENT && params.path("max_tokens").canConvertToLong()) {
      maxTokens = params.path("max_tokens").asLong();
    }
    if (maxTokens != RequestRecord.ABSENT) r.put(Run.MAX_TOKENS, maxTokens);
    else r.putNull(Run.MAX_TOKENS);
    ObjectNode p = r.putObject(Run.PARAMETERS);
    if (params.isObject()) {
      params.fields().forEachRemaining(e -> p.set(e.getKey(), looksSecret(e.getKey(), e.getValue())
          ? json.getNodeFactory().textNode("***") : e.getValue()));
    }
    r.set(Run.HARDWARE_FROM, HardwareReader.origin(first, json));
    if (first.field("shards").isObject()) r.set(Run.SHARDS, first.field("shards").deepCopy());
    JsonNode server = first.field("server");
    if (!server.isNull() && !server.isMissingNode()) r.set(Run.SERVER, server.deepCopy());
    if (start != Long.MAX_VALUE) r.put(Run.START_EPOCH_US, start);
    else r.putNull(Run.START_EPOCH_US);
    if (end != Long.MIN_VALUE) r.put(Run.END_EPOCH_US, end);
    else r.putNull(Run.END_EPOCH_US);
    return r;
  }

  // run.json should already mask secrets; this is the second line of defence.
  private static boolean looksSecret(String name, JsonNode value) {
    if (SECRET.matcher(name).matches()) return true;
    String v = value.isTextual() ? value.asText().trim() : "";
    return SECRET_VALUE.matcher(v).lookingAt();
  }

  private static void copyText(ObjectNode r, RunFolder f, String field) {
    JsonNode n = f.field(field);
    if (n.isTextual()) r.put(field, n.asText());
    else r.putNull(field);
  }

  // Closed-model sweeps have concurrency levels, open-model ones rates (docs/run-folder.md).
  private static String levelWord(List<RunFolder> folders) {
    return openModel(folders) ? "rate" : "concurrency";
  }

  /** True for an open-model run: its requests are measured from their scheduled instants. */
  static boolean openModel(List<RunFolder> folders) {
    JsonNode params = folders.get(0).field("parameters");
    String model = folders.get(0).field("load_model").asText(params.path("load_model").asText(""));
    // The suite's open-model simulations (ArrivalRate) record their rate and arrival process.
    boolean open = model.toLowerCase(Locale.ROOT).startsWith("open") || params.has("arrival")
        || params.path("rate").isNumber();
    return open;
  }

  private static long firstSent(List<RunFolder> folders) throws IOException {
    long[] min = {Long.MAX_VALUE};
    for (RunFolder f : folders) {
      new RequestLogReader().read(f.requests(), r -> {
        long t = r.sentUs != RequestRecord.ABSENT ? r.sentUs : r.instantUs();
        if (t != RequestRecord.ABSENT) min[0] = Math.min(min[0], t);
      });
    }
    return min[0] == Long.MAX_VALUE ? 0 : min[0];
  }

  static String folderName(RunFolder f) {
    Path n = f.dir.toAbsolutePath().normalize().getFileName();
    return n == null ? f.dir.toString() : n.toString();
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String version() {
    String v = Aggregator.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
