package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogReaderTest {
  @TempDir Path tmp;

  @Test
  void newlineScanAgreesWithAPlainScanEverywhere() {
    SplittableRandom r = new SplittableRandom(1);
    for (int round = 0; round < 2000; round++) {
      byte[] b = new byte[r.nextInt(1, 40)];
      for (int i = 0; i < b.length; i++) {
        int k = r.nextInt(6);
        b[i] = (byte) (k == 0 ? '\n' : k == 1 ? 0x0B : k == 2 ? 0x8A : k == 3 ? 0x09 : r.nextInt(256));
      }
      int from = r.nextInt(b.length);
      int expected = -1;
      for (int i = from; i < b.length; i++) {
        if (b[i] == '\n') {
          expected = i;
          break;
        }
      }
      assertEquals(expected, RequestLogReader.indexOfNewline(b, from, b.length));
    }
  }

  @Test
  void linesAcrossBufferBoundariesLongLinesAndTornTail() throws Exception {
    StringBuilder sb = new StringBuilder();
    int n = 3000;
    for (int i = 0; i < n; i++) {
      // Some lines are long enough to straddle the 1 MiB read buffer.
      String pad = i % 500 == 0 ? "x".repeat(400_000) : "p" + i;
      sb.append("{\"schema\":1,\"phase\":\"c1\",\"status\":\"ok\",\"output_tokens\":").append(i)
          .append(",\"pad\":\"").append(pad).append("\"}\n");
    }
    sb.append("\n   \n{\"schema\":1,\"phase\":\"c1\",\"status\":\"ok\",\"output_tokens\":7");
    Path f = tmp.resolve("requests.jsonl");
    Files.write(f, sb.toString().getBytes(StandardCharsets.UTF_8));
    RequestLogReader reader = new RequestLogReader();
    List<Long> tokens = new ArrayList<>();
    assertTrue(reader.read(f, rec -> tokens.add(rec.outputTokens)));
    assertEquals(n, tokens.size());
    for (int i = 0; i < n; i++) assertEquals(i, tokens.get(i));
    assertEquals(1, reader.skippedLines(), "the torn tail, not the blank lines");
    assertTrue(reader.tornTail());
  }

  @Test
  void badLinesAmongGoodOnesCostOnlyThemselves() throws Exception {
    String ok = "{\"schema\":1,\"status\":\"ok\",\"output_tokens\":%d}\n";
    String text = String.format(ok, 1) + "{\"schema\":1,\"output_tokens\":\n" + String.format(ok, 2)
        + "[1,2]\n" + String.format(ok, 3) + "{\"a\":1}{\"b\":2}\n" + "{\"x\":\n2}\n" + "garbage\n"
        + String.format(ok, 4) + "   \n" + String.format(ok, 5);
    Path f = tmp.resolve("mixed.jsonl");
    Files.writeString(f, text);
    RequestLogReader reader = new RequestLogReader();
    List<Long> tokens = new ArrayList<>();
    reader.read(f, rec -> tokens.add(rec.outputTokens));
    // Records 1..5 survive; "{\"a\":1}{\"b\":2}" reads as its first object, as a per-line parser would.
    assertEquals(List.of(1L, 2L, 3L, RequestRecord.ABSENT, 4L, 5L), tokens);
    // Torn object, [1,2], the two halves of the value split over two lines, garbage.
    assertEquals(5, reader.skippedLines());
  }
}
