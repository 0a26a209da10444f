package io.llmload.wire;

import static io.llmload.wire.RecordingHandler.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The NDJSON framing rules, each on its own (synthetic inputs). */
class NdjsonFramerTest {

  private final RecordingHandler h = new RecordingHandler();
  private final StreamState st = new StreamState(false);

  private void feedAll(NdjsonFramer f, String... pieces) {
    long t = 1;
    for (String p : pieces) {
      byte[] b = utf8(p);
      f.feed(b, 0, b.length, t++, st);
    }
    f.end(100, st);
  }

  @Test
  void lfCrlfAndCrLineEndsReadAlike() {
    for (String nl : List.of("\n", "\r\n", "\r")) {
      RecordingHandler r = new RecordingHandler();
      NdjsonFramer f = new NdjsonFramer(r);
      byte[] b = utf8("{\"a\":1}" + nl + "{\"b\":2}" + nl);
      f.feed(b, 0, b.length, 1, st);
      f.end(2, st);
      assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), r.data());
    }
  }

  @Test
  void crlfSplitAcrossReads() {
    feedAll(new NdjsonFramer(h), "{\"a\":1}\r", "\n{\"b\":2}\r\n");
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), h.data());
  }

  @Test
  void lineSplitAcrossReads() {
    feedAll(new NdjsonFramer(h), "{\"resp", "onse\":\"é", "\"}\n");
    assertEquals(List.of("{\"response\":\"é\"}"), h.data());
    assertEquals(3, h.events.get(0).nanos());
  }

  @Test
  void utf8SplitAtEveryByte() {
    byte[] b = utf8("{\"response\":\"😊é\"}\n");
    for (int cut = 1; cut < b.length; cut++) {
      RecordingHandler r = new RecordingHandler();
      NdjsonFramer f = new NdjsonFramer(r);
      f.feed(b, 0, cut, 1, st);
      f.feed(b, cut, b.length - cut, 2, st);
      f.end(3, st);
      assertEquals(List.of("{\"response\":\"😊é\"}"), r.data(), "cut at " + cut);
    }
  }

  @Test
  void blankLinesAreSkipped() {
    feedAll(new NdjsonFramer(h), "\n\n  \n{\"a\":1}\n\t\n\n");
    assertEquals(List.of("{\"a\":1}"), h.data());
  }

  @Test
  void finalLineWithoutNewlineIsHandedOverAtEnd() {
    feedAll(new NdjsonFramer(h), "{\"a\":1}\n{\"done\":true}");
    assertEquals(List.of("{\"a\":1}", "{\"done\":true}"), h.data());
    assertEquals(100, h.events.get(1).nanos());
  }

  @Test
  void severalLinesInOneRead() {
    feedAll(new NdjsonFramer(h), "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    assertEquals(3, h.events.size());
  }

  @Test
  void oversizedLineIsMalformedAndSkipped() {
    NdjsonFramer f = new NdjsonFramer(h, 16);
    feedAll(f, "{\"a\":\"" + "x".repeat(10), "x".repeat(10) + "\"}\n{\"ok\":1}\n" + "z".repeat(40) + "\n");
    assertEquals(StreamState.Outcome.MALFORMED, st.outcome());
    assertEquals("event larger than 16 bytes", st.error());
    assertEquals(List.of("{\"ok\":1}"), h.data());
  }
}
