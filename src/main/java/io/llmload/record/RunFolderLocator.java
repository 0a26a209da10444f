package io.llmload.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds the folder Gatling creates for this run, which no API names.
 *
 * <p>Gatling stamps the folder with the instant it builds its run message, right after the
 * simulation's {@code before()} returns. So this run's folder is the one, absent when {@code
 * before()} ended, whose stamp is the earliest at or after that instant. Another run sharing the
 * results folder has its own, different instant, and is not picked.
 */
public final class RunFolderLocator {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
  /** Clock granularity and rounding between our clock read and Gatling's. */
  private static final long SLACK_MS = 50;

  private final Path resultsDir;
  private final Pattern name;
  private final Set<String> existing = new HashSet<>();
  private long notBeforeEpochMs = Long.MAX_VALUE;

  public RunFolderLocator(Path resultsDir, String simulationClass) {
    this.resultsDir = resultsDir;
    String simple = simulationClass.substring(simulationClass.lastIndexOf('.') + 1);
    this.name =
        Pattern.compile(
            "(?:" + Pattern.quote(simple.toLowerCase(Locale.ROOT)) + "|"
                + Pattern.quote(simulationClass.toLowerCase(Locale.ROOT)) + ")-(\\d{17})");
  }

  /** Call when {@code before()} ends: snapshots the folders that are not ours. */
  public synchronized void armAt(long epochMs) {
    existing.clear();
    existing.addAll(list());
    notBeforeEpochMs = epochMs - SLACK_MS;
  }

  /** The run folder, or null while Gatling has not created it yet. */
  public synchronized @Nullable Path find() {
    if (notBeforeEpochMs == Long.MAX_VALUE) return null;
    String best = null;
    long bestStamp = Long.MAX_VALUE;
    for (String n : list()) {
      if (existing.contains(n)) continue;
      Matcher m = name.matcher(n);
      if (!m.matches()) continue;
      long stamp = parseStamp(m.group(1));
      if (stamp >= notBeforeEpochMs && stamp < bestStamp) {
        best = n;
        bestStamp = stamp;
      }
    }
    return best == null ? null : resultsDir.resolve(best);
  }

  static long parseStamp(String digits) {
    try {
      return LocalDateTime.parse(digits, STAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private Set<String> list() {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(resultsDir)) return out;
    try (Stream<Path> s = Files.list(resultsDir)) {
      s.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      // an unreadable results folder simply yields no candidate yet
    }
    return out;
  }
}
