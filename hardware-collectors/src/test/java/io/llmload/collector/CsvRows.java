package io.llmload.collector;

import io.llmload.collector.runfolder.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one of the collector's CSV files into rows keyed by header name (empty fields are null). */
final class CsvRows {

  private CsvRows() {}

  static List<Map<String, String>> read(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty()) {
      throw new AssertionError(file + " is empty: a header row is expected");
    }
    List<String> header = Csv.split(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      List<String> f = Csv.split(l);
      if (f.size() != header.size()) {
        throw new AssertionError(file + ": " + f.size() + " fields, header has " + header.size() + ": " + l);
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < f.size(); i++) {
        m.put(header.get(i), f.get(i));
      }
      rows.add(m);
    }
    return rows;
  }
}
