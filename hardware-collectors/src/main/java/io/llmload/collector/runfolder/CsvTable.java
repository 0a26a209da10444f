package io.llmload.collector.runfolder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Streams a collector CSV (RFC 4180, header first) row by row. Columns are found by header name,
 * so a missing column reads as absent and extra columns are ignored.
 */
public final class CsvTable {
  private final Map<String, Integer> columns = new HashMap<>();
  private List<@Nullable String> row = List.of();

  /** @return false when the file does not exist */
  public static boolean stream(Path file, Consumer<CsvTable> sink) throws IOException {
    BufferedReader in;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return false;
    }
    try (in) {
      String header = in.readLine();
      if (header == null) return true;
      CsvTable t = new CsvTable();
      List<@Nullable String> names = Csv.split(header);
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i) != null) t.columns.put(names.get(i).trim(), i);
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        t.row = Csv.split(line);
        sink.accept(t);
      }
    }
    return true;
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  public @Nullable String text(String column) {
    Integer i = columns.get(column);
    if (i == null || i >= row.size() || row.get(i) == null) return null;
    String s = row.get(i).trim();
    return s.isEmpty() ? null : s;
  }

  /** NaN when absent, empty or not a number. */
  public double num(String column) {
    String s = text(column);
    if (s == null) return Double.NaN;
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
