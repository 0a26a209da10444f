package io.llmload.runfolder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The line rule of the run folder's {@code .jsonl} files (docs/run-folder.md): a line counts once
 * its {@code \n} is written; a last line without it is a torn write from a killed run and is skipped.
 * The aggregator's fast reader (report.RequestLogReader) follows the same rule on bytes.
 */
public final class JsonLines {
  private JsonLines() {}

  /**
   * Hands every complete line of {@code file} to {@code sink}.
   *
   * @return the number of torn lines skipped (0 or 1), or -1 when the file does not exist
   */
  public static int forEachLine(Path file, Consumer<String> sink) throws IOException {
    BufferedReader in;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return -1;
    }
    try (in) {
      StringBuilder line = new StringBuilder(512);
      char[] buf = new char[1 << 14];
      int n;
      while ((n = in.read(buf)) > 0) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line.append(buf, from, i - from);
            sink.accept(line.toString());
            line.setLength(0);
            from = i + 1;
          }
        }
        line.append(buf, from, n - from);
      }
      return line.length() > 0 ? 1 : 0;
    }
  }
}
