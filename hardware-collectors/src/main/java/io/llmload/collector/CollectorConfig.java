package io.llmload.collector;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the hardware collector samples and how often. Immutable: every {@code with...} method returns a
 * new configuration and leaves this one unchanged.
 *
 * @param mode {@code auto}, {@code on} or {@code off} ({@code -Dcollector})
 * @param url address of a standalone collector on the GPU host ({@code -Dcollector.url}), or null
 * @param process server processes to follow: a name/command-line regex or a comma list of PIDs, or null
 * @param metrics the inference server's Prometheus endpoints ({@code -Dcollector.metrics})
 * @param dcgm the DCGM exporter's endpoint ({@code -Dcollector.dcgm}), or null
 * @param fastPeriod power, utilisation, clocks (NVML, nvidia-smi)
 * @param energyPeriod the NVML energy counter, whose read costs milliseconds
 * @param hostPeriod host and process CPU/memory, RAPL
 * @param scrapePeriod Prometheus endpoints
 * @param powercapRoot RAPL sysfs root, {@code /sys/class/powercap}
 * @param nvmlLibrary NVML library name or absolute path; null tries {@code libnvidia-ml.so.1} then {@code nvidia-ml}
 * @param toolPath directories searched for nvidia-smi, amd-smi, rocm-smi, powermetrics (PATH syntax);
 *     null means the environment's PATH
 * @param clock the collector's wall clock (tests inject a skewed one)
 * @param gpus the GPUs to sample ({@code -Dcollector.gpus}: indices or UUIDs); empty for all
 */
public record CollectorConfig(
    Mode mode,
    @Nullable URI url,
    @Nullable String process,
    List<URI> metrics,
    @Nullable URI dcgm,
    Duration fastPeriod,
    Duration energyPeriod,
    Duration hostPeriod,
    Duration scrapePeriod,
    Path powercapRoot,
    @Nullable String nvmlLibrary,
    @Nullable String toolPath,
    Clock clock,
    List<String> gpus) {

  /** {@code -Dcollector}: whether to collect, and where. */
  public enum Mode {
    /** In-process when the target is on this machine or no remote collector is given. */
    AUTO,
    ON,
    OFF
  }

  /** Where the samples of a run come from. */
  public enum Placement {
    /** No collection. */
    NONE,
    /** {@link CollectorSession} inside the load generator. */
    IN_PROCESS,
    /** {@link RemoteCollector#pull} from the standalone collector at {@link #url()}. */
    REMOTE
  }

  private static final Pattern PIDS = Pattern.compile("\\s*\\d+(\\s*,\\s*\\d+)*\\s*");

  public CollectorConfig {
    if (mode == null) {
      throw new IllegalArgumentException("collector: mode must be one of auto, on, off");
    }
    metrics = List.copyOf(metrics);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    CollectorProperties.checkPeriod("collector.fastPeriod", fastPeriod);
    CollectorProperties.checkPeriod("collector.energyPeriod", energyPeriod);
    CollectorProperties.checkPeriod("collector.hostPeriod", hostPeriod);
    CollectorProperties.checkPeriod("collector.scrapePeriod", scrapePeriod);
    if (process != null) {
      CollectorProperties.checkProcess(process);
    }
    if (url != null) {
      CollectorProperties.checkHttp("collector.url", url);
    }
    if (dcgm != null) {
      CollectorProperties.checkHttp("collector.dcgm", dcgm);
    }
    for (URI m : metrics) {
      CollectorProperties.checkHttp("collector.metrics", m);
    }
  }

  /** Defaults: auto, 100 ms power/utilisation, 500 ms energy, 1 s host/processes and scrapes. */
  public static CollectorConfig defaults() {
    return new CollectorConfig(
        Mode.AUTO,
        null,
        null,
        List.of(),
        null,
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Path.of("/sys/class/powercap"),
        null,
        null,
        Clock.systemUTC(),
        List.of());
  }

  /** Reads the {@code -Dcollector*} system properties over {@link #defaults()}. */
  public static CollectorConfig fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  /**
   * Reads {@code collector}, {@code collector.url}, {@code collector.process}, {@code collector.metrics},
   * {@code collector.dcgm}, {@code collector.fastPeriod}, {@code collector.energyPeriod},
   * {@code collector.hostPeriod}, {@code collector.scrapePeriod}, {@code collector.powercap},
   * {@code collector.nvml}.
   *
   * @throws IllegalArgumentException naming the property, for a value that is not allowed
   */
  public static CollectorConfig fromProperties(Properties p) {
    return CollectorProperties.read(p);
  }

  /**
   * Where this run's samples come from, for a load test against {@code target} (null if unknown).
   * {@code auto} collects in-process when the target is on this machine (or unknown), from the remote
   * collector when one is given, and not at all for a target on another host without one: this
   * machine's GPUs are not the server's. {@code on} collects remotely when a URL is given, else
   * in-process whatever the target.
   */
  public Placement placement(@Nullable URI target) {
    return switch (mode) {
      case OFF -> Placement.NONE;
      case ON -> url != null ? Placement.REMOTE : Placement.IN_PROCESS;
      case AUTO -> target == null ? (url != null ? Placement.REMOTE : Placement.IN_PROCESS)
          : TargetHost.isLocal(target) ? Placement.IN_PROCESS : url != null ? Placement.REMOTE : Placement.NONE;
    };
  }

  public CollectorConfig withMode(Mode v) {
    return new CollectorConfig(v, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withUrl(@Nullable URI v) {
    return new CollectorConfig(mode, v, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withProcess(@Nullable String v) {
    return new CollectorConfig(mode, url, v, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withMetrics(List<URI> v) {
    return new CollectorConfig(mode, url, process, v, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withDcgm(@Nullable URI v) {
    return new CollectorConfig(mode, url, process, metrics, v, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withFastPeriod(Duration v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, v, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withEnergyPeriod(Duration v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, v, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withHostPeriod(Duration v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, v,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withScrapePeriod(Duration v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        v, powercapRoot, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withPowercapRoot(Path v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, v, nvmlLibrary, toolPath, clock, gpus);
  }

  public CollectorConfig withNvmlLibrary(@Nullable String v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, v, toolPath, clock, gpus);
  }

  public CollectorConfig withToolPath(@Nullable String v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, v, clock, gpus);
  }

  public CollectorConfig withGpus(List<String> v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, clock, v);
  }

  /**
   * {@code collector.gpus}: a comma list of GPU indices ({@code 0,3}) or UUIDs ({@code GPU-…},
   * {@code MIG-…}), as nvidia-smi shows them.
   *
   * @throws IllegalArgumentException naming the property and what is allowed
   */
  static List<String> gpus(@Nullable String v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      String t = s.trim();
      if (!t.matches("\\d{1,4}|(GPU|MIG)-[0-9A-Za-z/-]+")) {
        throw new IllegalArgumentException("collector.gpus: '" + t + "' is not a GPU index or UUID (expected e.g. "
            + "0,1 or GPU-5fd4b9c2-..., as nvidia-smi -L shows them)");
      }
      out.add(t);
    }
    return List.copyOf(out);
  }

  public CollectorConfig withClock(Clock v) {
    return new CollectorConfig(mode, url, process, metrics, dcgm, fastPeriod, energyPeriod, hostPeriod,
        scrapePeriod, powercapRoot, nvmlLibrary, toolPath, v, gpus);
  }

  /** The PIDs of {@link #process()} when it is a PID list, else null (it is then a regex). */
  public @Nullable List<Integer> processPids() {
    if (process == null || !PIDS.matcher(process).matches()) {
      return null;
    }
    List<Integer> pids = new ArrayList<>();
    for (String s : process.split(",")) {
      pids.add(Integer.parseInt(s.trim()));
    }
    return pids;
  }

  /** {@link #process()} as a regex, when it is not a PID list. */
  public @Nullable Pattern processPattern() {
    return process == null || processPids() != null ? null : Pattern.compile(process);
  }

  /** Parses {@code 100ms}, {@code 0.5s}, {@code 2s}, {@code 1m} or a bare number of milliseconds. */
  public static Duration parseDuration(String property, String text) {
    return CollectorProperties.parseDuration(property, text);
  }

}
