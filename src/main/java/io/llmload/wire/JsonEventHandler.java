package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads each event as one JSON object with a streaming parser, counts it, and turns anything
 * unreadable into {@link StreamState#malformed}: subclasses read fields and may throw.
 */
abstract class JsonEventHandler implements EventHandler {

  // One non-blocking parser per body, fed one whole event at a time: a blocking parser per event
  // would cost about 800 bytes of garbage per event (measured, see docs/performance-parsers.md).
  private @Nullable JsonParser parser;

  @Override
  public final void onEvent(
      @Nullable String event, byte[] data, int off, int len, long nanos, StreamState st) {
    if (isBlank(data, off, len)) {
      return; // an empty "data:" keep-alive (llama.cpp sends them) carries nothing
    }
    st.event();
    if (isDone(data, off, len)) {
      st.done();
      return;
    }
    boolean errorEvent = "error".equals(event);
    try {
      JsonParser p = parser();
      ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(data, off, off + len);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        reset();
        if (errorEvent) {
          st.serverError(text(data, off, len));
        } else {
          st.malformed("malformed chunk: not a JSON object");
        }
        return;
      }
      String eventMessage = null;
      begin();
      while (Json.next(p) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        Json.next(p);
        if (errorEvent && "message".equals(name)) {
          // the bare error object of an error event: {"code":..,"message":..}
          eventMessage = Json.shortText(p);
          errorEventMessage(eventMessage);
        } else {
          field(name, p, st);
        }
      }
      // the object is closed; only blanks may follow, which leaves the parser waiting for input
      if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
        reset();
        st.malformed("malformed chunk: data after the JSON object");
        return;
      }
      complete(nanos, st);
      if (errorEvent) {
        // a no-op when the object's own error field was already reported
        st.serverError(eventMessage != null ? eventMessage : "error event without a message");
      }
    } catch (IOException | RuntimeException e) {
      reset(); // a parser that failed mid-value cannot read the next event
      if (errorEvent) {
        // an error event need not carry JSON: its text is the message
        st.serverError(text(data, off, len));
      } else {
        st.malformed(Json.malformedReason(e));
      }
    }
  }

  @Override
  public final void onEnd(long nanos, StreamState st) {
    reset(); // gives the parser's buffers back to Jackson's recycler
    ended(nanos, st);
  }

  /** The body ended; every event has been read. */
  void ended(long nanos, StreamState st) {}

  private JsonParser parser() throws IOException {
    if (parser == null) {
      parser = Json.FACTORY.createNonBlockingByteArrayParser();
    }
    return parser;
  }

  private void reset() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException | RuntimeException ignored) {
        // nothing to release for a byte-array parser
      }
      parser = null;
    }
  }

  private static String text(byte[] data, int off, int len) {
    // a few bytes past MAX_TEXT characters are enough; a cut character becomes U+FFFD
    return Json.oneLine(
        new String(data, off, Math.min(len, 4 * Json.MAX_TEXT), StandardCharsets.UTF_8));
  }

  private static boolean isBlank(byte[] d, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = d[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Whether the data is OpenAI's {@code [DONE]} sentinel (surrounding blanks allowed). */
  static boolean isDone(byte[] d, int off, int len) {
    int end = off + len;
    while (off < end && (d[off] == ' ' || d[off] == '\t')) {
      off++;
    }
    while (end > off && (d[end - 1] == ' ' || d[end - 1] == '\t')) {
      end--;
    }
    return end - off == 6
        && d[off] == '['
        && d[off + 1] == 'D'
        && d[off + 2] == 'O'
        && d[off + 3] == 'N'
        && d[off + 4] == 'E'
        && d[off + 5] == ']';
  }

  /** The {@code message} of an SSE {@code error} event, also reported on its own after the event. */
  void errorEventMessage(@Nullable String message) {}

  /** A new event starts: forget the previous event's fields. */
  abstract void begin();

  /** One top-level field; the parser stands on its value, which must be consumed or skipped. */
  abstract void field(String name, JsonParser p, StreamState st) throws IOException;

  /** The whole object was read: report what it said. */
  abstract void complete(long nanos, StreamState st);

  /** Reads an {@code error} field: an object with {@code message}, or a bare string. */
  static @Nullable String errorMessage(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return Json.oneLine(p.getText());
    }
    if (t != JsonToken.START_OBJECT) {
      Json.skip(p);
      return t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_FALSE ? null : "server error";
    }
    String message = null;
    String fallback = null;
    for (String f; (f = Json.field(p)) != null; ) {
      if ("message".equals(f)) {
        message = Json.shortText(p);
      } else if (("type".equals(f) || "code".equals(f)) && fallback == null) {
        Object v = Json.scalar(p);
        fallback = v == null ? null : v.toString();
      } else {
        Json.skip(p);
      }
    }
    if (message != null) {
      return message;
    }
    return fallback != null ? fallback : "server error";
  }
}
