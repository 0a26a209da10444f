package io.llmload.gate;

import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds and reads a summary.json given a run folder or the file itself. */
public final class SummaryFiles {
  public static final String SUMMARY = FileNames.SUMMARY;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SummaryFiles() {}

  /** The summary.json a path names: the file itself, or the one inside a run folder. */
  public static Path resolve(Path path, String role) {
    if (Files.isDirectory(path)) {
      Path s = path.resolve(SUMMARY);
      if (!Files.isRegularFile(s)) {
        throw new GateInputException(role + ": no " + SUMMARY + " in run folder " + path
            + " (the aggregator writes it at the end of a run)");
      }
      return s;
    }
    if (!Files.isRegularFile(path)) {
      throw new GateInputException(role + ": " + path + " does not exist (expected a run folder or a summary.json)");
    }
    return path;
  }

  /** Reads and parses; a missing, empty or malformed file is a one-line {@link GateInputException}. */
  public static JsonNode read(Path path, String role) {
    Path file = resolve(path, role);
    try {
      if (Files.size(file) == 0) {
        throw new GateInputException(role + ": " + file + " is empty");
      }
      JsonNode n = MAPPER.readTree(file.toFile());
      if (n == null || !n.isObject()) {
        throw new GateInputException(role + ": " + file + " is not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new GateInputException(role + ": " + file + " is not valid JSON" + where, e);
    } catch (IOException e) {
      throw new GateInputException(role + ": cannot read " + file + ": " + GateOptions.oneLine(e.getMessage()), e);
    }
  }

  /**
   * {@link #read(Path, String)}, and when {@code path} is a run folder with a requests.jsonl, its
   * phases' samples taken from every measured request there ({@link RequestSamples}).
   */
  public static JsonNode readRun(Path path, String role) {
    JsonNode summary = read(path, role);
    if (!Files.isDirectory(path)) {
      return summary;
    }
    try {
      return RequestSamples.enrich(summary, path);
    } catch (IOException e) {
      throw new GateInputException(role + ": cannot read " + path.resolve(FileNames.REQUESTS) + ": "
          + GateOptions.oneLine(e.getMessage()), e);
    }
  }

  /** A short name for messages and reports: the run folder's name, or the file's path. */
  static String label(Path path) {
    Path p = path.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }
    Path parent = p.getParent();
    if (p.getFileName() != null && p.getFileName().toString().equals(SUMMARY) && parent != null
        && parent.getFileName() != null) {
      return parent.getFileName() + "/" + SUMMARY;
    }
    return p.toString();
  }
}
