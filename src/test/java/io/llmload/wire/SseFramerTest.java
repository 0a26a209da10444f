package io.llmload.wire;

import static io.llmload.wire.RecordingHandler.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE framing rules, each on its own (synthetic inputs). */
class SseFramerTest {

  private final RecordingHandler h = new RecordingHandler();
  private final StreamState st = new StreamState(false);

  private SseFramer framer() {
    return new SseFramer(h);
  }

  private void feedAll(SseFramer f, String... pieces) {
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
      SseFramer f = new SseFramer(r);
      byte[] b = utf8("data: one" + nl + nl + "data: two" + nl + nl);
      f.feed(b, 0, b.length, 1, st);
      f.end(2, st);
      assertEquals(List.of("one", "two"), r.data(), "line end " + nl.replace("\r", "CR").replace("\n", "LF"));
    }
  }

  @Test
  void crlfSplitAcrossReadsIsOneLineEnd() {
    // were the LF read as a second line end, "a" and "b" would be two events
    feedAll(framer(), "data: a\r", "\ndata: b\r", "\n\r", "\n");
    assertEquals(List.of("a\nb"), h.data());
  }

  @Test
  void lfAfterCrInTheSameReadIsOneLineEnd() {
    feedAll(framer(), "data: a\r\ndata: b\r\n\r\n");
    assertEquals(List.of("a\nb"), h.data());
  }

  @Test
  void commentsAndKeepAlivesAreIgnored() {
    feedAll(framer(), ": OPENROUTER PROCESSING\n\n:\n\n: ping\ndata: x\n: inside\n\n");
    assertEquals(List.of("x"), h.data());
  }

  @Test
  void eventNamesAreKeptForOneEvent() {
    feedAll(framer(), "event: error\ndata: {}\n\ndata: next\n\n");
    assertEquals("error", h.events.get(0).name());
    assertNull(h.events.get(1).name());
  }

  @Test
  void multiLineDataIsJoinedWithLf() {
    feedAll(framer(), "data: {\"a\":\ndata: 1}\ndata:\n\n");
    assertEquals(List.of("{\"a\":\n1}\n"), h.data());
  }

  @Test
  void oneOptionalSpaceAfterTheColon() {
    feedAll(framer(), "data:x\n\ndata: x\n\ndata:  x\n\ndata\n\n");
    assertEquals(List.of("x", "x", " x", ""), h.data());
  }

  @Test
  void eventSplitAcrossReadsArrivesWhenComplete() {
    feedAll(framer(), "da", "ta: hel", "lo\n", "\n");
    assertEquals(List.of("hello"), h.data());
    assertEquals(4, h.events.get(0).nanos(), "instant of the read that completed the event");
  }

  @Test
  void severalEventsInOneRead() {
    feedAll(framer(), "data: 1\n\ndata: 2\n\ndata: 3\n\n");
    assertEquals(List.of("1", "2", "3"), h.data());
  }

  @Test
  void finalEventWithoutBlankLineIsDispatchedAtEnd() {
    feedAll(framer(), "data: 1\n\ndata: last");
    assertEquals(List.of("1", "last"), h.data());
    assertEquals(100, h.events.get(1).nanos());
    assertEquals(1, h.ends);
  }

  @Test
  void utf8SplitAtEveryByte() {
    String text = "é😊→ü";
    byte[] b = utf8("data: " + text + "\n\n");
    for (int cut = 1; cut < b.length; cut++) {
      RecordingHandler r = new RecordingHandler();
      SseFramer f = new SseFramer(r);
      f.feed(b, 0, cut, 1, st);
      f.feed(b, cut, b.length - cut, 2, st);
      f.end(3, st);
      assertEquals(List.of(text), r.data(), "cut at " + cut);
    }
  }

  @Test
  void eventWithoutDataIsNotDispatched() {
    feedAll(framer(), "event: ping\n\nid: 7\nretry: 100\n\n");
    assertEquals(List.of(), h.data());
  }

  @Test
  void byteOrderMarkAtStartIsSkipped() {
    feedAll(framer(), "\uFEFFdata: x\n\n");
    assertEquals(List.of("x"), h.data());
  }

  @Test
  void llamaCppErrorFieldIsAnErrorEvent() {
    feedAll(framer(), "error: {\"code\":400,\"message\":\"too long\"}\n\ndata: [DONE]\n\n");
    assertEquals("error", h.events.get(0).name());
    assertEquals("{\"code\":400,\"message\":\"too long\"}", h.events.get(0).data());
  }

  @Test
  void unframedJsonLineIsOneEvent() {
    feedAll(framer(), "{\"error\":{\"message\":\"x\"}}");
    assertEquals(List.of("{\"error\":{\"message\":\"x\"}}"), h.data());
  }

  @Test
  void oversizedEventIsMalformedAndSkipped() {
    SseFramer f = new SseFramer(h, 64);
    String big = "x".repeat(100);
    byte[] b = utf8("data: " + big.substring(0, 50) + "\ndata: " + big + "\n\ndata: ok\n\n");
    f.feed(b, 0, b.length, 1, st);
    f.end(2, st);
    assertEquals(StreamState.Outcome.MALFORMED, st.outcome());
    assertEquals("event larger than 64 bytes", st.error());
    assertEquals(List.of("ok"), h.data(), "the next event is read again");
  }

  @Test
  void oversizedPartialLineIsNotBuffered() {
    SseFramer f = new SseFramer(h, 64);
    byte[] chunk = utf8("y".repeat(40));
    byte[] head = utf8("data: ");
    f.feed(head, 0, head.length, 1, st);
    for (int i = 0; i < 10_000; i++) { // 400 kB of one line, never kept
      f.feed(chunk, 0, chunk.length, 1, st);
    }
    byte[] tail = utf8("\n\ndata: ok\n\n");
    f.feed(tail, 0, tail.length, 2, st);
    f.end(3, st);
    assertEquals(StreamState.Outcome.MALFORMED, st.outcome());
    assertEquals(List.of("ok"), h.data());
  }

  @Test
  void feedAfterEndAndSecondEndAreIgnored() {
    SseFramer f = framer();
    feedAll(f, "data: a\n\n");
    byte[] b = utf8("data: b\n\n");
    f.feed(b, 0, b.length, 5, st);
    f.end(6, st);
    assertEquals(List.of("a"), h.data());
    assertEquals(1, h.ends);
  }

  @Test
  void offsetAndLengthAreHonoured() {
    byte[] b = utf8("XXXdata: mid\n\nYYY");
    SseFramer f = framer();
    f.feed(b, 3, b.length - 6, 1, st);
    f.end(2, st);
    assertEquals(List.of("mid"), h.data());
  }
}
