package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads each event as one JSON object with a streaming parser, counts it, and turns anything
 * unreadable into {@link StreamState#malformed}: subclasses read fields and may throw.
 */
abstract class JsonEventHandler implements EventHandler {

  @Override
  public final void onEvent(
      @Nullable String event, byte[] data, int off, int len, long nanos, StreamState st) {
    st.event();
    if (isDone(data, off, len)) {
      st.done();
      return;
    }
    try (JsonParser p = Json.FACTORY.createParser(data, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        if ("error".equals(event)) {
          st.serverError(Json.oneLine(new String(data, off, len, StandardCharsets.UTF_8)));
        } else {
          st.malformed("malformed chunk: not a JSON object");
        }
        return;
      }
      boolean errorEvent = "error".equals(event);
      String eventMessage = null;
      begin();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (errorEvent && "message".equals(name)) {
          // the bare error object of an error event: {"code":..,"message":..}
          eventMessage = Json.shortText(p);
        } else {
          field(name, p, st);
        }
      }
      if (p.nextToken() != null) {
        st.malformed("malformed chunk: data after the JSON object");
        return;
      }
      complete(nanos, st);
      if (errorEvent) {
        // a no-op when the object's own error field was already reported
        st.serverError(eventMessage != null ? eventMessage : "error event without a message");
      }
    } catch (IOException | RuntimeException e) {
      st.malformed(Json.malformedReason(e));
    }
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
      p.skipChildren();
      return t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_FALSE ? null : "server error";
    }
    String message = null;
    String fallback = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      if ("message".equals(f)) {
        message = Json.shortText(p);
      } else if (("type".equals(f) || "code".equals(f)) && fallback == null) {
        Object v = Json.scalar(p);
        fallback = v == null ? null : v.toString();
      } else {
        p.skipChildren();
      }
    }
    if (message != null) {
      return message;
    }
    return fallback != null ? fallback : "server error";
  }
}
