package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A baseline on disk: {@code summary.json}, the run the next one is gated against, and beside it
 * {@code history/}, the summaries of the last {@code gate.history} runs that became the baseline,
 * oldest first by name. The history is what the gate judges a change against once it holds
 * {@code gate.minHistory} runs ({@link BetweenRuns}).
 */
final class BaselineStore {
  static final String HISTORY = "history";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT);

  private BaselineStore() {}

  /** The summary.json an {@code -DupdateBaseline} path stands for: the .json file, or summary.json in the folder. */
  static Path file(Path target) {
    boolean isFile = target.getFileName() != null
        && target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
        && !Files.isDirectory(target);
    return isFile ? target : target.resolve(SummaryFiles.SUMMARY);
  }

  /** The history folder beside a baseline given as a folder or as its summary.json. */
  static Path historyDir(Path baseline) {
    if (Files.isDirectory(baseline)) {
      return baseline.resolve(HISTORY);
    }
    Path parent = baseline.toAbsolutePath().getParent();
    return parent == null ? Path.of(HISTORY) : parent.resolve(HISTORY);
  }

  /** The history's summaries, oldest first; empty without a history folder. A corrupt entry is an error. */
  static List<JsonNode> history(Path baseline) {
    Path dir = historyDir(baseline);
    List<JsonNode> out = new ArrayList<>();
    for (Path f : entries(dir)) {
      out.add(SummaryFiles.read(f, "baseline history"));
    }
    return out;
  }

  private static List<Path> entries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new GateInputException("baseline history: cannot list " + dir + ": " + GateOptions.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Makes the run in {@code runFolder} the baseline at {@code file} and adds it to the history,
   * keeping the newest {@code keep}. {@code fresh} empties the history first: a forced
   * replacement declares a new normal, and the runs before it no longer describe it.
   */
  static Path write(Path runFolder, Path file, int keep, boolean fresh) throws IOException {
    Path source = SummaryFiles.resolve(runFolder, "current");
    // validate before overwriting a good baseline with a broken one
    Summary.parse(SummaryFiles.read(source, "current"), "current", new ArrayList<>());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    copyAtomically(source, file);
    Path dir = historyDir(file);
    if (fresh) {
      for (Path old : entries(dir)) {
        Files.delete(old);
      }
    }
    if (keep > 0) {
      Files.createDirectories(dir);
      String name = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + SummaryFiles.label(runFolder)
          .replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
      copyAtomically(source, dir.resolve(name));
    }
    List<Path> all = entries(dir);
    for (int i = 0; i < all.size() - keep; i++) {
      Files.delete(all.get(i));
    }
    return file;
  }

  private static void copyAtomically(Path source, Path target) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
