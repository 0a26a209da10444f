package io.llmload.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.record.RequestRecord;
import io.llmload.collector.runfolder.AssertionsJson;
import io.llmload.collector.runfolder.RequestFields;
import io.llmload.collector.runfolder.RunJson;
import io.llmload.collector.runfolder.SummaryJson;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/run-folder.md and the writers agree: every documented field is written, every written field documented. */
class RunFolderDocsTest {
  private static final Pattern NAME = Pattern.compile("`([a-z_0-9]+)`");

  @Test
  void runJsonFieldsAreTheDocumentedOnes() throws IOException {
    assertEquals(documented("run.json"), new TreeSet<>(RunJson.FIELDS));
    RunJson all = new RunJson();
    for (String f : RunJson.FIELDS) all.put(f, "x");
    assertEquals(RunJson.FIELDS, List.copyOf(all.fields().keySet()), "every field is written, in order");
  }

  @Test
  void runJsonPhaseFieldsAreTheDocumentedOnes() throws IOException {
    String row = row("run.json", "phases");
    List<String> quoted = new ArrayList<>();
    Matcher m = Pattern.compile("\"([a-z_]+)\"").matcher(row);
    while (m.find()) quoted.add(m.group(1));
    assertEquals(RunJson.PHASE_FIELDS, quoted);
    assertEquals(RunJson.PHASE_FIELDS, List.copyOf(RunJson.phase("p", 1.0, 1, 2, 1).keySet()));
  }

  @Test
  void requestRecordFieldsAreTheDocumentedOnes() throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)) {
      everyField().write(g);
    }
    JsonNode line = new ObjectMapper().readTree(out.toString());
    TreeSet<String> written = new TreeSet<>();
    for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) written.add(it.next());
    assertEquals(documented("requests.jsonl"), written);
    // The readers' names (io.llmload.collector.runfolder.RequestFields) are the writer's.
    assertEquals(written, DefinedNames.of(RequestFields.class));
    TreeSet<String> itl = new TreeSet<>();
    for (Iterator<String> it = line.get(RequestFields.ITL_MS).fieldNames(); it.hasNext(); ) itl.add(it.next());
    assertEquals(itl, DefinedNames.of(RequestFields.Itl.class));
  }

  /** docs/report.md's summary.json tables name exactly the fields io.llmload.collector.runfolder.SummaryJson defines. */
  @Test
  void summaryFieldsAreTheDocumentedOnes() throws IOException {
    List<List<String>> tables = summaryTables();
    assertEquals(DefinedNames.of(SummaryJson.class), firstColumn(tables.get(0)), "top level");
    assertEquals(DefinedNames.of(SummaryJson.Phase.class), firstColumn(tables.get(1)), "per phase");
    assertNamedIn(tables.get(0), SummaryJson.RUN, DefinedNames.of(SummaryJson.Run.class));
    // the judged assertions: what the aggregator writes and the report and the merge read
    assertNamedIn(tables.get(0), SummaryJson.ASSERTIONS, new TreeSet<>(List.of(AssertionsJson.VERDICT,
        AssertionsJson.PASSED, AssertionsJson.FAILED, AssertionsJson.ROWS_FROM, AssertionsJson.FROM_SENT,
        AssertionsJson.FROM_SCHEDULED, AssertionsJson.RESULTS, AssertionsJson.ACTUAL, AssertionsJson.REQUESTS,
        AssertionsJson.HELD)));
    assertNamedIn(tables.get(1), SummaryJson.Phase.GPU, DefinedNames.of(SummaryJson.Gpu.class));
    assertNamedIn(tables.get(1), SummaryJson.Phase.GPU, DefinedNames.of(SummaryJson.Gpu.PerGpu.class));
    assertNamedIn(tables.get(1), SummaryJson.Phase.GPU, DefinedNames.of(SummaryJson.Gpu.EnergyCost.class));
    TreeSet<String> samples = new TreeSet<>(SummaryJson.Samples.KEYS);
    samples.add(SummaryJson.Samples.SEED);
    assertNamedIn(tables.get(1), SummaryJson.Phase.SAMPLES, samples);
    TreeSet<String> stats = DefinedNames.of(SummaryJson.Stats.class);
    stats.removeAll(quoted(row(tables.get(1), SummaryJson.Phase.TTFT_MS)));
    stats.removeAll(quoted(row(tables.get(1), SummaryJson.Phase.TOKENS_PER_S)));
    assertEquals(new TreeSet<>(), stats, "statistics named in the latency and speed rows");
  }

  /**
   * The rows of the phase's sub-objects name exactly their defined fields: every one of them, and
   * besides them only the values a field takes, the phase fields a definition refers to and
   * the hardware column a figure comes from.
   */
  @Test
  void subObjectRowsNameExactlyTheDefinedFields() throws IOException {
    List<String> phase = summaryTables().get(1);
    TreeSet<String> phaseFields = DefinedNames.of(SummaryJson.Phase.class);
    assertRowNamesExactly(phase, SummaryJson.Phase.CONNECTION, DefinedNames.of(SummaryJson.Connection.class), phaseFields);
    TreeSet<String> gpu = DefinedNames.of(SummaryJson.Gpu.class);
    gpu.addAll(DefinedNames.of(SummaryJson.Gpu.PerGpu.class));
    gpu.addAll(DefinedNames.of(SummaryJson.Gpu.EnergyCost.class));
    TreeSet<String> gpuValues = new TreeSet<>(phaseFields);
    gpuValues.addAll(DefinedNames.of(SummaryJson.Gpu.EnergySource.class));
    gpuValues.addAll(DefinedNames.of(SummaryJson.Gpu.EnergyScope.class));
    assertRowNamesExactly(phase, SummaryJson.Phase.GPU, gpu, gpuValues);
    TreeSet<String> hostAlso = new TreeSet<>(phaseFields);
    hostAlso.add("cpu_energy_uj"); // host.csv's column the CPU energy comes from
    assertRowNamesExactly(phase, SummaryJson.Phase.HOST, DefinedNames.of(SummaryJson.Host.class), hostAlso);
    assertRowNamesExactly(phase, SummaryJson.Phase.PROCESS, DefinedNames.of(SummaryJson.Process.class), phaseFields);
    assertRowNamesExactly(phase, SummaryJson.Phase.SERVER_TOKENS, DefinedNames.of(SummaryJson.ServerTokens.class), phaseFields);
    assertRowNamesExactly(phase, SummaryJson.Phase.SERVER_METRICS, DefinedNames.of(SummaryJson.ServerGauge.class), phaseFields);
    List<String> top = summaryTables().get(0);
    assertRowNamesExactly(top, SummaryJson.SLO, DefinedNames.of(SummaryJson.Slo.class), DefinedNames.of(SummaryJson.class));
    assertNamedIn(top, SummaryJson.RUN, DefinedNames.of(SummaryJson.HardwareFrom.class));
  }

  /** docs/report.md's Findings table lists exactly the fields SummaryJson.Findings defines. */
  @Test
  void findingsFieldsAreTheDocumentedOnes() throws IOException {
    String doc = Files.readString(Path.of("docs/report.md"));
    int start = doc.indexOf("\n## Findings");
    int end = doc.indexOf("\n## ", start + 1);
    List<String> rows = new ArrayList<>();
    for (String l : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (l.startsWith("| `")) rows.add(l);
    }
    assertEquals(DefinedNames.of(SummaryJson.Findings.class), firstColumn(rows));
  }

  private static void assertRowNamesExactly(List<String> table, String field, TreeSet<String> defined, TreeSet<String> alsoAllowed) {
    assertNamedIn(table, field, defined);
    TreeSet<String> named = quoted(row(table, field));
    Matcher m = NAME.matcher(row(table, field));
    while (m.find()) named.add(m.group(1));
    named.removeAll(defined);
    named.removeAll(alsoAllowed);
    assertEquals(new TreeSet<>(), named, "docs/report.md's row for " + field + " names fields " + field + " does not define");
  }

  private static void assertNamedIn(List<String> table, String field, TreeSet<String> names) {
    TreeSet<String> missing = new TreeSet<>(names);
    Matcher m = NAME.matcher(row(table, field));
    while (m.find()) missing.remove(m.group(1));
    missing.removeAll(quoted(row(table, field)));
    assertEquals(new TreeSet<>(), missing, "not named in docs/report.md's row for " + field);
  }

  private static TreeSet<String> quoted(String row) {
    TreeSet<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\"([a-z_0-9]+)\"").matcher(row);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private static String row(List<String> table, String field) {
    for (String r : table) {
      Matcher m = NAME.matcher(r.substring(0, r.indexOf('|', 1)));
      while (m.find()) if (m.group(1).equals(field)) return r;
    }
    throw new AssertionError("docs/report.md: no row for " + field);
  }

  private static TreeSet<String> firstColumn(List<String> table) {
    TreeSet<String> names = new TreeSet<>();
    for (String r : table) {
      Matcher m = NAME.matcher(r.substring(0, r.indexOf('|', 1)));
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }

  /** The top-level and the per-phase table of docs/report.md's summary.json section. */
  static List<List<String>> summaryTables() throws IOException {
    String doc = Files.readString(Path.of("docs/report.md"));
    int start = doc.indexOf("## summary.json");
    int end = doc.indexOf("\n## ", start + 1);
    List<List<String>> tables = new ArrayList<>();
    List<String> current = null;
    for (String l : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (l.startsWith("| ")) {
        if (current == null) tables.add(current = new ArrayList<>());
        if (!l.startsWith("| field") && !l.startsWith("| ---")) current.add(l);
      } else {
        current = null;
      }
    }
    if (tables.size() < 2) throw new AssertionError("docs/report.md: no top-level and per-phase tables under summary.json");
    return tables;
  }

  /** A record with every field set, as a request with all measurements would have. */
  static RequestRecord everyField() {
    RequestRecord r = new RequestRecord();
    r.protocol = "openai-chat";
    r.scenario = "s";
    r.request = "r";
    r.phase = "p";
    r.level = 4.0;
    r.user = 1;
    r.seq = 1;
    r.inFlight = 2;
    r.id = "id";
    r.status = "ok";
    r.httpStatus = 200;
    r.error = "e";
    r.scheduledEpochUs = r.startEpochUs = r.sentEpochUs = r.endEpochUs = 1;
    r.queueDelayMs = r.headersMs = r.ttfbMs = r.ttftMs = r.ttfoMs = r.lastTokenMs = r.e2eMs = 1.0;
    r.ttftFromScheduledMs = r.e2eFromScheduledMs = r.connectMs = r.tlsMs = r.tpotMs = 1.0;
    r.reused = false;
    r.retried = true;
    r.itlNanos = new long[] {1_000_000};
    r.itlWeights = new int[] {1};
    r.itlEntries = 1;
    r.itlCount = 1;
    r.itlSumNanos = 1_000_000;
    r.itlTokens = "chunks";
    r.outputTokens = 2L;
    r.outputTokensSource = "usage";
    r.chunkTokens = 2;
    r.chunks = 3;
    r.promptTokens = r.targetPromptTokens = r.cachedPromptTokens = r.reasoningTokens = 1L;
    r.targetPromptTokensSource = "server";
    r.outputKinds = List.of("content");
    r.choices = 1;
    r.finishReason = "stop";
    r.maxTokens = 2;
    r.tokensPerS = r.decodeTokensPerS = 1.0;
    r.server = Map.of("eval_count", 2);
    r.inputs = 1;
    r.shard = "0/2";
    r.workloadRecord = 7L;
    r.globalUser = 2;
    r.iteration = 1L;
    return r;
  }

  /** The names in the first column of the section's table (a cell may name several). */
  static TreeSet<String> documented(String file) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String row : rows(file)) {
      Matcher m = NAME.matcher(row.substring(0, row.indexOf('|', 1)));
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }

  static String row(String file, String field) throws IOException {
    for (String row : rows(file)) {
      if (row.startsWith("| `" + field + "`")) return row;
    }
    throw new AssertionError("no row for " + field);
  }

  static List<String> rows(String file) throws IOException {
    String doc = Files.readString(Path.of("docs/run-folder.md"));
    int start = doc.indexOf("## `" + file + "`");
    int end = doc.indexOf("\n## ", start + 1);
    List<String> out = new ArrayList<>();
    for (String l : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (l.startsWith("| `")) out.add(l);
    }
    if (out.isEmpty()) throw new AssertionError("docs/run-folder.md: no table under " + file);
    return out;
  }
}
