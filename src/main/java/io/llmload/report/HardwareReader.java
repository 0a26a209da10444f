package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.CsvTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a run folder's hardware/ files (gpu.csv, process.csv, host.csv, server-metrics.jsonl) into per-phase
 * figures. Missing files or columns leave the figures absent. Clock offsets are already applied by
 * the collector, so samples line up with the records' epoch times as they are.
 */
final class HardwareReader {


  final Map<String, GpuPhase> gpu = new LinkedHashMap<>();
  final Map<String, ProcessPhase> process = new LinkedHashMap<>();
  final Map<String, ServerMetricsPhase> server = new LinkedHashMap<>();
  final Map<String, HostPhase> host = new LinkedHashMap<>();
  private @Nullable Long lastScrapeUs;
  private @Nullable Long lastHostSampleUs;
  // Last sample instant per GPU UUID over all folders read: a second load generator's copy of the
  // same collector's samples is not counted twice.
  private final Map<String, Long> lastGpuSampleUs = new HashMap<>();
  private final Map<String, Long> lastProcessSampleUs = new HashMap<>();

  static final class ProcessPhase {
    double cpuSum, cpuMax = Double.NEGATIVE_INFINITY, rssSum, rssMax = Double.NEGATIVE_INFINITY;
    double threadsMax = Double.NEGATIVE_INFINITY;
    long cpuN, rssN;

    @Nullable ObjectNode toJson() {
      if (cpuN == 0 && rssN == 0) return null;
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      GpuPhase.putOrNull(o, SummaryJson.Process.CPU_AVG_PCT, cpuN > 0 ? cpuSum / cpuN : Double.NaN);
      GpuPhase.putOrNull(o, SummaryJson.Process.CPU_MAX_PCT, cpuN > 0 ? cpuMax : Double.NaN);
      GpuPhase.putOrNull(o, SummaryJson.Process.RSS_AVG_MIB, rssN > 0 ? rssSum / rssN : Double.NaN);
      GpuPhase.putOrNull(o, SummaryJson.Process.RSS_MAX_MIB, rssN > 0 ? rssMax : Double.NaN);
      GpuPhase.putOrNull(o, SummaryJson.Process.THREADS_MAX, threadsMax);
      return o;
    }
  }

  /** What the reading left out, for the summary's warnings. */
  final List<String> notes = new java.util.ArrayList<>();
  /** The collector host whose host, process and server series the figures are; null until known. */
  private @Nullable String seriesHost;

  /**
   * Reads the folder's hardware files; a folder merged from shards has one copy per shard
   * ({@link RunFolder#hardwareDirs}). GPU samples are told apart by GPU UUID, so shards whose
   * collectors watched the same GPUs count them once and shards on different GPU hosts add up.
   * Host, process and server series are one host's each (a CPU counter or a server's counters
   * cannot be summed sample by sample): those of a second collector host are left out, and said.
   */
  void read(RunFolder folder, List<PhaseAccumulator> phases, Timeline timeline, ObjectMapper json)
      throws IOException {
    for (Path dir : folder.hardwareDirs()) {
      readGpu(dir.resolve(FileNames.GPU_CSV), phases, timeline);
      String host = collectorHost(dir, json);
      if (host != null && seriesHost != null && !host.equals(seriesHost)) {
        if (Files.isRegularFile(dir.resolve(FileNames.HOST_CSV)) || Files.isRegularFile(dir.resolve(FileNames.PROCESS_CSV))
            || Files.isRegularFile(dir.resolve(FileNames.SERVER_METRICS))) {
          notes.add("host, process and server-metrics figures are those of " + seriesHost + "; " + host + "'s ("
              + dir.getFileName() + ") are kept in the folder but not summed (GPU figures include every host)");
        }
        continue;
      }
      if (host != null) seriesHost = host;
      readProcess(dir.resolve(FileNames.PROCESS_CSV), phases);
      readHost(dir.resolve(FileNames.HOST_CSV), phases);
      readServerMetrics(dir.resolve(FileNames.SERVER_METRICS), phases, json);
    }
  }

  private static @Nullable String collectorHost(Path dir, ObjectMapper json) {
    Path p = dir.resolve(FileNames.COLLECTOR_JSON);
    if (!Files.isRegularFile(p)) return null;
    try {
      return json.readTree(p.toFile()).path("host").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  private void readGpu(Path file, List<PhaseAccumulator> phases, Timeline timeline) throws IOException {
    CsvTable.stream(file, row -> {
      double ms = row.num("epoch_ms");
      if (Double.isNaN(ms)) return;
      long us = (long) (ms * 1000);
      String uuid = row.text("gpu_uuid");
      if (uuid == null) uuid = "gpu" + (row.text("gpu_index") == null ? "0" : row.text("gpu_index"));
      Long last = lastGpuSampleUs.get(uuid);
      if (last != null && us <= last) return;
      lastGpuSampleUs.put(uuid, us);
      double energy = row.num("energy_mj");
      double instant = row.num("power_instant_w");
      double power = Double.isNaN(instant) ? row.num("power_avg_w") : instant;
      double util = row.num("util_gpu_pct");
      double sm = row.num("sm_clock_mhz");
      timeline.gpu(us, power, util, sm);
      for (PhaseAccumulator p : phases) {
        long from = p.windowStartUs(), to = p.windowEndUs();
        if (from == Long.MAX_VALUE || to == Long.MIN_VALUE || to <= from) continue;
        // Samples before the window are offered too: the last of them anchors the counter at the edge.
        GpuPhase g = gpu.computeIfAbsent(p.name, k -> new GpuPhase(from, to));
        if (g.gpuName == null && us >= from && us <= to) g.gpuName = row.text("gpu_name");
        String name = row.text("gpu_name");
        if (name != null && name.contains("(whole GPU")) g.wholeGpuUnderMig = true;
        g.track(uuid).sample(us, energy, power, util, sm, row.num("mem_used_mib"), row.num("mem_total_mib"),
            row.num("temp_c"), row.num("power_limit_w"));
      }
    });
  }

  // Rows of one sample share epoch_ms: the server's processes are summed per sample.
  private void readProcess(Path file, List<PhaseAccumulator> phases) throws IOException {
    TreeMap<Long, double[]> pending = new TreeMap<>();
    CsvTable.stream(file, row -> {
      double ms = row.num("epoch_ms");
      if (Double.isNaN(ms)) return;
      long us = (long) (ms * 1000);
      double[] agg = pending.computeIfAbsent(us, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
      agg[0] = addNullable(agg[0], row.num("cpu_pct"));
      agg[1] = addNullable(agg[1], row.num("rss_mib"));
      agg[2] = addNullable(agg[2], row.num("threads"));
      // Samples arrive in time order; flush those older than the newest to keep memory flat.
      while (pending.size() > 4) flushProcess(pending.pollFirstEntry(), phases);
    });
    while (!pending.isEmpty()) flushProcess(pending.pollFirstEntry(), phases);
  }

  private void flushProcess(Map.Entry<Long, double[]> e, List<PhaseAccumulator> phases) {
    long us = e.getKey();
    Long last = lastProcessSampleUs.get("all");
    if (last != null && us <= last) return;
    lastProcessSampleUs.put("all", us);
    double[] v = e.getValue();
    for (PhaseAccumulator p : phases) {
      if (us < p.windowStartUs() || us > p.windowEndUs()) continue;
      ProcessPhase pp = process.computeIfAbsent(p.name, k -> new ProcessPhase());
      if (!Double.isNaN(v[0])) {
        pp.cpuSum += v[0];
        pp.cpuN++;
        pp.cpuMax = Math.max(pp.cpuMax, v[0]);
      }
      if (!Double.isNaN(v[1])) {
        pp.rssSum += v[1];
        pp.rssN++;
        pp.rssMax = Math.max(pp.rssMax, v[1]);
      }
      if (!Double.isNaN(v[2])) pp.threadsMax = Math.max(pp.threadsMax, v[2]);
    }
  }

  private static double addNullable(double a, double b) {
    if (Double.isNaN(b)) return a;
    return Double.isNaN(a) ? b : a + b;
  }

  private void readServerMetrics(Path file, List<PhaseAccumulator> phases, ObjectMapper json) throws IOException {
    if (!Files.isRegularFile(file)) return;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        JsonNode scrape;
        try {
          scrape = json.readTree(line);
        } catch (IOException e) {
          continue; // a torn last line of a killed collector
        }
        if (scrape == null || !scrape.path("epoch_ms").isNumber()) continue;
        long us = (long) (scrape.get("epoch_ms").asDouble() * 1000);
        if (lastScrapeUs != null && us <= lastScrapeUs) continue; // another generator's copy
        lastScrapeUs = us;
        for (PhaseAccumulator p : phases) {
          long from = p.windowStartUs(), to = p.windowEndUs();
          if (from == Long.MAX_VALUE || to == Long.MIN_VALUE || to <= from) continue;
          server.computeIfAbsent(p.name, k -> new ServerMetricsPhase(from, to)).scrape(us, scrape.path("samples"));
        }
      }
    }
  }

  private void readHost(Path file, List<PhaseAccumulator> phases) throws IOException {
    CsvTable.stream(file, row -> {
      double ms = row.num("epoch_ms");
      if (Double.isNaN(ms)) return;
      long us = (long) (ms * 1000);
      if (lastHostSampleUs != null && us <= lastHostSampleUs) return;
      lastHostSampleUs = us;
      for (PhaseAccumulator p : phases) {
        long from = p.windowStartUs(), to = p.windowEndUs();
        if (from == Long.MAX_VALUE || to == Long.MIN_VALUE || to <= from) continue;
        host.computeIfAbsent(p.name, k -> new HostPhase(from, to)).sample(us, row.num("cpu_pct"),
            row.num("mem_used_mib"), row.num("mem_total_mib"), row.num("cpu_energy_uj"));
      }
    });
  }

  /**
   * Where the folder's hardware samples came from: the collector placement the run noted
   * (run.json {@code parameters.collector}) and the host the collector ran on (collector.json).
   */
  static ObjectNode origin(RunFolder f, ObjectMapper json) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    String placement = f.field("parameters").path("collector").asText(null);
    JsonNode cj = null;
    try {
      Path p = f.hardwareDirs().get(0).resolve(FileNames.COLLECTOR_JSON); // a merged folder: the first shard's
      if (Files.isRegularFile(p)) cj = json.readTree(p.toFile());
    } catch (IOException e) {
      cj = null;
    }
    String host = cj == null ? null : cj.path("host").asText(null);
    String url = cj == null ? null : cj.path("collector_url").asText(null);
    o.put(SummaryJson.HardwareFrom.PLACEMENT, placement);
    o.put(SummaryJson.HardwareFrom.HOST, host);
    o.put(SummaryJson.HardwareFrom.COLLECTOR_URL, url);
    String text;
    if ("none".equals(placement)) {
      text = "no hardware figures: collection was off, or the target ran on another host and no -Dcollector.url was given"
          + " (this machine's GPUs are not the server's)";
    } else if ("remote".equals(placement) || url != null) {
      text = "the standalone collector on the target's host" + (host == null ? "" : " (" + host + ")");
    } else if ("in_process".equals(placement)) {
      text = "the load generator's machine" + (host == null ? "" : " (" + host + ")") + ", where the target runs";
    } else {
      text = cj == null ? "no collector ran" : "the collector on " + (host == null ? "an unnamed host" : host);
    }
    String selection = cj == null ? null : cj.path("gpu_selection").path("note").asText(null);
    if (selection != null) o.put(SummaryJson.HardwareFrom.GPU_SELECTION, selection);
    o.put(SummaryJson.HardwareFrom.TEXT, text);
    return o;
  }

  @Nullable ObjectNode gaugesJson(String phase) {
    ServerMetricsPhase m = server.get(phase);
    return m == null ? null : m.gaugesJson();
  }

}
