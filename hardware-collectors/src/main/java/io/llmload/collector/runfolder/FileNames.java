package io.llmload.collector.runfolder;

import java.nio.file.Path;

/**
 * The names of a run folder's files (docs/run-folder.md): the one place that spells them. Every
 * writer and reader, the collector included, resolves paths here (an architecture test checks it).
 */
public final class FileNames {
  public static final String RUN = "run.json";
  public static final String REQUESTS = "requests.jsonl";
  public static final String SUMMARY = "summary.json";
  public static final String REPORT_MD = "report.md";
  public static final String REPORT_HTML = "report.html";
  /** A capacity search's result, copied into summary.json's {@code capacity}. */
  public static final String CAPACITY = "capacity.json";
  public static final String HARDWARE_DIR = "hardware";
  public static final String GPU_CSV = "gpu.csv";
  public static final String HOST_CSV = "host.csv";
  public static final String PROCESS_CSV = "process.csv";
  public static final String SERVER_METRICS = "server-metrics.jsonl";
  public static final String COLLECTOR_JSON = "collector.json";

  private FileNames() {}

  public static Path run(Path folder) {
    return folder.resolve(RUN);
  }

  public static Path requests(Path folder) {
    return folder.resolve(REQUESTS);
  }

  public static Path summary(Path folder) {
    return folder.resolve(SUMMARY);
  }

  /** The collector's folder within a run folder. */
  public static Path hardware(Path folder) {
    return folder.resolve(HARDWARE_DIR);
  }
}
