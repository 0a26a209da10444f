package io.llmload.workload;

import static io.llmload.workload.WorkloadFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWorkloadTest {
  @TempDir Path tmp;

  @Test
  void offsetsAreScaledAndTheFeederEnds() {
    Workload w = build("workload", "trace", "trace", sample("trace-synthetic.jsonl"), "trace.timeScale", "0.5");
    assertEquals(List.of(0L, 125L, 125L, 500L, 2000L), w.arrivalOffsetsMs());
    Iterator<Map<String, Object>> it = w.feeder();
    List<Map<String, Object>> recs = take(w, 100);
    assertEquals(5, recs.size(), "one record per trace line");
    assertEquals(List.of(0.0, 125.0, 125.0, 500.0, 2000.0), field(recs, "arrivalOffsetMs"));
    assertEquals(List.of(20, 40, 10, 8, 64), field(recs, "maxTokens"));
    assertEquals(List.of(600, 700, 100, 1200, 50), field(recs, "inputTokens"));
    for (int i = 0; i < 5; i++) it.next();
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertEquals(List.of(0L, 250L, 250L, 1000L, 4000L),
        build("workload", "trace", "trace", sample("trace-synthetic.jsonl")).arrivalOffsetsMs());
    assertEquals(List.of(), build("workload", "synthetic").arrivalOffsetsMs());
  }

  @Test
  void sharedHashIdsGiveSharedPrefixes() {
    List<Map<String, Object>> recs = take(build("workload", "trace", "trace", sample("trace-synthetic.jsonl"), "trace.blockSize", "100"), 5);
    String[] a = ((String) recs.get(0).get("prompt")).split(" ");
    String[] b = ((String) recs.get(1).get("prompt")).split(" ");
    String[] d = ((String) recs.get(3).get("prompt")).split(" ");
    // lines 1 and 2 share ids [0, 1]: 200 tokens; line 4 shares only id 0
    assertArrayEquals(java.util.Arrays.copyOf(a, 200), java.util.Arrays.copyOf(b, 200));
    assertArrayEquals(java.util.Arrays.copyOf(a, 100), java.util.Arrays.copyOf(d, 100));
    assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, 100, 200), java.util.Arrays.copyOfRange(d, 100, 200)));
    assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, 200, 300), java.util.Arrays.copyOfRange(b, 200, 300)),
        "beyond the hash blocks each line has text of its own");
    assertEquals(600, a.length);
  }

  @Test
  void badLinesNameFileAndLine() throws Exception {
    Path f = tmp.resolve("t.jsonl");
    Files.writeString(f, "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 5}\n{\"timestamp\": 10, \"input_length\": 5}\n");
    assertEquals("trace: " + f + " line 2: not a JSON object with \"timestamp\", \"input_length\" and \"output_length\"",
        error("workload", "trace", "trace", f.toString()));
    Files.writeString(f, "{\"timestamp\": 10, \"input_length\": 5, \"output_length\": 5}\n{\"timestamp\": 5, \"input_length\": 5, \"output_length\": 5}\n");
    assertEquals("trace: " + f + " line 2: timestamp 5 is before the previous line's; sort the trace by timestamp",
        error("workload", "trace", "trace", f.toString()));
    Files.writeString(f, "{\"timestamp\": 0, \"input_length\": 0, \"output_length\": 5}\n");
    assertEquals("trace: " + f + " line 1: \"input_length\" must be a whole number >= 1, not 0",
        error("workload", "trace", "trace", f.toString()));
    assertEquals("trace.timeScale: 0 is out of range; allowed: a number > 0",
        error("workload", "trace", "trace", sample("trace-synthetic.jsonl"), "trace.timeScale", "0"));
    assertEquals("trace: file 'gone.jsonl' not found", error("workload", "trace", "trace", "gone.jsonl"));
  }
}
