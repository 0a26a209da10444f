package io.llmload.collector.smi;

import io.llmload.collector.GpuSample;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]} lines, with or without
 * units, into {@link GpuSample}s. {@code [N/A]}, {@code N/A}, {@code [Not Supported]} and any other
 * bracketed status become null, never zero. Stateless and thread-safe.
 */
public final class NvidiaSmiParser {

  /** Fields the collector asks for, in order (the power fields need a driver that knows them). */
  public static final List<String> FIELDS =
      List.of("timestamp", "index", "uuid", "name", "utilization.gpu", "utilization.memory", "memory.used",
          "memory.total", "power.draw.average", "power.draw.instant", "enforced.power.limit", "clocks.sm",
          "clocks.mem", "temperature.gpu");

  /** The same, for drivers without {@code power.draw.average}/{@code instant} ({@code power.draw} is then used). */
  public static final List<String> LEGACY_FIELDS =
      List.of("timestamp", "index", "uuid", "name", "utilization.gpu", "utilization.memory", "memory.used",
          "memory.total", "power.draw", "enforced.power.limit", "clocks.sm", "clocks.mem", "temperature.gpu");

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss[.SSS]", Locale.ROOT);

  /** Header names and long aliases, as printed in a CSV header, to the query name used here. */
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("clocks.current.sm", "clocks.sm"),
          Map.entry("clocks.current.memory", "clocks.mem"),
          Map.entry("gpu_name", "name"),
          Map.entry("gpu_uuid", "uuid"),
          Map.entry("gpu.power.draw.average", "power.draw.average"),
          Map.entry("gpu.power.draw.instant", "power.draw.instant"),
          Map.entry("gpu.power.current_limit", "enforced.power.limit"));

  private final List<String> columns;
  private final ZoneId zone;

  /**
   * @param columns query field names in output order (header names such as
   *     {@code power.draw [W]} and {@code clocks.current.sm [MHz]} are accepted)
   * @param zone nvidia-smi prints timestamps in the host's local time zone
   */
  public NvidiaSmiParser(List<String> columns, ZoneId zone) {
    List<String> c = new ArrayList<>();
    for (String col : columns) {
      c.add(canonical(col));
    }
    this.columns = List.copyOf(c);
    this.zone = zone;
  }

  /** A parser for a CSV header line as nvidia-smi prints it (with units in brackets). */
  public static NvidiaSmiParser fromHeader(String header, ZoneId zone) {
    List<String> cols = new ArrayList<>();
    for (String h : header.split(",")) {
      cols.add(h);
    }
    return new NvidiaSmiParser(cols, zone);
  }

  static String canonical(String header) {
    String h = header.trim();
    int br = h.indexOf(" [");
    if (br >= 0) {
      h = h.substring(0, br);
    }
    h = h.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(h, h);
  }

  /**
   * Parses one data line.
   *
   * @param receivedEpochMs used when the line has no parsable timestamp
   * @param epochCorrectionMs added to the printed timestamp (the collector clock's offset from the host clock)
   * @return null for a line that is not a data line (header, blank, error text, wrong column count)
   */
  public @Nullable GpuSample parse(String line, long receivedEpochMs, long epochCorrectionMs) {
    if (line.isBlank() || line.startsWith("#")) {
      return null;
    }
    String[] parts = line.split(",", -1);
    if (parts.length != columns.size()) {
      return null;
    }
    long epoch = receivedEpochMs;
    Integer index = null;
    String uuid = null;
    String name = null;
    Double utilGpu = null;
    Double utilMem = null;
    Double memUsed = null;
    Double memTotal = null;
    Double powerAvg = null;
    Double powerInstant = null;
    Double powerDraw = null;
    Double limit = null;
    Double sm = null;
    Double mem = null;
    Double temp = null;
    boolean any = false;
    for (int i = 0; i < parts.length; i++) {
      String raw = parts[i].trim();
      switch (columns.get(i)) {
        case "timestamp" -> {
          Long t = timestamp(raw);
          if (t != null) {
            epoch = t + epochCorrectionMs;
          }
          continue;
        }
        case "index" -> {
          Double d = number(raw);
          index = d == null ? null : d.intValue();
        }
        case "uuid" -> uuid = text(raw);
        case "name" -> name = text(raw);
        case "utilization.gpu" -> utilGpu = number(raw);
        case "utilization.memory" -> utilMem = number(raw);
        case "memory.used" -> memUsed = number(raw);
        case "memory.total" -> memTotal = number(raw);
        case "power.draw.average" -> powerAvg = number(raw);
        case "power.draw.instant" -> powerInstant = number(raw);
        case "power.draw" -> powerDraw = number(raw);
        case "enforced.power.limit" -> limit = number(raw);
        case "power.limit" -> {
          if (limit == null) {
            limit = number(raw);
          }
        }
        case "clocks.sm" -> sm = number(raw);
        case "clocks.mem" -> mem = number(raw);
        case "temperature.gpu" -> temp = number(raw);
        default -> {
          continue;
        }
      }
      any = true;
    }
    if (!any || (index == null && uuid == null && utilGpu == null && powerDraw == null && powerAvg == null
        && memUsed == null && sm == null && temp == null)) {
      return null; // a line of words (an error message split on commas) is not a sample
    }
    if (powerAvg == null) {
      // Ampere+ power.draw is the same 1 s average; on older GPUs it is instantaneous, but it is all there is
      powerAvg = powerDraw;
    }
    return new GpuSample(epoch, "nvidia-smi", index, uuid, name, utilGpu, utilMem, memUsed, memTotal, powerAvg,
        powerInstant, null, sm, mem, temp, limit);
  }

  private @Nullable Long timestamp(String raw) {
    try {
      return LocalDateTime.parse(raw, TIMESTAMP).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A value, with its unit (" W", " %", " MiB", " MHz") or without; null for N/A and bracketed states. */
  static @Nullable Double number(String raw) {
    String v = text(raw);
    if (v == null) {
      return null;
    }
    int sp = v.indexOf(' ');
    if (sp > 0) {
      v = v.substring(0, sp);
    }
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable String text(String raw) {
    String v = raw.trim();
    if (v.isEmpty() || v.startsWith("[") || v.equalsIgnoreCase("N/A") || v.equalsIgnoreCase("Not Supported")) {
      return null;
    }
    return v;
  }
}
