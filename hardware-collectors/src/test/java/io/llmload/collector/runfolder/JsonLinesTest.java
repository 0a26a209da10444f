package io.llmload.collector.runfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .jsonl line rule: a line counts once its newline is written; a torn last line is skipped. */
class JsonLinesTest {

  @Test
  void aTornLastLineIsSkippedEvenWhenItParses(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(FileNames.REQUESTS);
    // the last object is whole but its newline never came: a killed run, not a finished line
    Files.writeString(f, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    assertEquals(1, JsonLines.forEachLine(f, lines::add));
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), lines);
    assertEquals(-1, JsonLines.forEachLine(dir.resolve("absent.jsonl"), lines::add));
  }

  @Test
  void segmentsStartLinesAndNewlinesAreFoundPastEightByteWords(@TempDir Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 200; i++) b.append("{\"i\":").append(i).append("}\n");
    Path f = dir.resolve(FileNames.REQUESTS);
    Files.writeString(f, b);
    byte[] all = Files.readAllBytes(f);
    long covered = 0;
    for (long[] s : JsonLines.segments(f, 100)) {
      assertEquals(covered, s[0], "contiguous");
      if (s[0] > 0) assertEquals('\n', all[(int) s[0] - 1], "starts a line");
      covered = s[1];
    }
    assertEquals(all.length, covered);
    byte[] x = "abcdefghijklmno\npq".getBytes(StandardCharsets.UTF_8);
    assertEquals(15, JsonLines.indexOfNewline(x, 0, x.length));
    assertEquals(-1, JsonLines.indexOfNewline(x, 16, x.length));
  }
}
