package io.llmload.collector;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link CsvRows} for tests in sub-packages. */
public final class CsvRowsAccess {

  private CsvRowsAccess() {}

  public static List<Map<String, String>> read(Path file) throws Exception {
    return CsvRows.read(file);
  }
}
