package io.llmload.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a collector CSV (RFC 4180, header first) row by row. Columns are found by header name,
 * so a missing column reads as absent and extra columns are ignored.
 */
final class CsvTable {
  private final Map<String, Integer> columns = new HashMap<>();
  private List<String> row = List.of();

  /** @return false when the file does not exist */
  static boolean stream(Path file, Consumer<CsvTable> sink) throws IOException {
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
      List<String> names = split(header);
      for (int i = 0; i < names.size(); i++) t.columns.put(names.get(i).trim(), i);
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        t.row = split(line);
        sink.accept(t);
      }
    }
    return true;
  }

  boolean has(String column) {
    return columns.containsKey(column);
  }

  String text(String column) {
    Integer i = columns.get(column);
    if (i == null || i >= row.size()) return null;
    String s = row.get(i).trim();
    return s.isEmpty() ? null : s;
  }

  /** NaN when absent, empty or not a number. */
  double num(String column) {
    String s = text(column);
    if (s == null) return Double.NaN;
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
