package io.llmload.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Shared Jackson objects and small helpers for reading untrusted chunks. */
final class Json {

  /** Thread-safe; each response body gets one non-blocking parser from it, reused per event. */
  static final JsonFactory FACTORY = new JsonFactory();

  static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  /** Longest server text (error messages, ids) we keep; the rest is cut. */
  static final int MAX_TEXT = 300;

  private Json() {}

  /**
   * The next token of a chunk that must be complete: the end of the input inside a value is an
   * error here, never a reason to wait (every event is whole before it is parsed).
   */
  static JsonToken next(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null || t == JsonToken.NOT_AVAILABLE) {
      throw new JsonParseException(p, "unexpected end of chunk");
    }
    return t;
  }

  /** Whether the parser stands on an object; any other value is skipped. */
  static boolean object(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.START_OBJECT) return true;
    skip(p);
    return false;
  }

  /**
   * The next field's name, the parser moved onto its value; null at the end of the object. The
   * handlers' loop: {@code for (String f; (f = Json.field(p)) != null; ) switch (f) ...}.
   */
  static @Nullable String field(JsonParser p) throws IOException {
    if (next(p) != JsonToken.FIELD_NAME) return null;
    String f = p.currentName();
    next(p);
    return f;
  }

  /** Skips the value the parser stands on, with {@link #next}'s guard against a cut chunk. */
  static void skip(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      t = next(p);
      if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd()) {
        depth--;
      }
    }
  }

  /** The number of elements of the array the parser stands on, skipped; -1 when it is no array. */
  static int countArray(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      skip(p);
      return -1;
    }
    int n = 0;
    while (next(p) != JsonToken.END_ARRAY) {
      skip(p);
      n++;
    }
    return n;
  }

  /** A string value, cut to {@link #MAX_TEXT} characters and flattened to one line. */
  static @Nullable String shortText(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      skip(p);
      return null;
    }
    return oneLine(p.getText());
  }

  static String oneLine(String s) {
    String t = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    StringBuilder b = null;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(t);
        }
        b.setCharAt(i, ' ');
      }
    }
    return b == null ? t : b.toString();
  }

  /**
   * A count or duration: a non-negative integer, or null for anything else (negative or huge
   * numbers, floats, strings, null), since a server's figures are untrusted.
   */
  static @Nullable Long longValue(JsonParser p) throws IOException {
    Long v = anyLong(p);
    return v == null || v < 0 ? null : v;
  }

  private static @Nullable Long anyLong(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      try {
        return p.getLongValue();
      } catch (JsonProcessingException outOfRange) {
        return null;
      }
    }
    skip(p);
    return null;
  }

  /** A scalar as a Java value (Long, Double, Boolean, short String), else null. */
  static @Nullable Object scalar(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NUMBER_INT:
        return anyLong(p);
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        return Double.isFinite(d) ? d : null; // 1e999 would become Infinity: not JSON
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_STRING:
        return oneLine(p.getText());
      default:
        skip(p);
        return null;
    }
  }

  /** Appends a string value's characters without creating a String. */
  static void appendString(JsonParser p, StringBuilder to) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      to.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    } else {
      skip(p);
    }
  }

  /** "malformed chunk: reason" with a short, one-line reason. */
  static String malformedReason(Exception e) {
    String m =
        e instanceof JsonProcessingException
            ? ((JsonProcessingException) e).getOriginalMessage()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    if (m.length() > 120) {
      m = m.substring(0, 120);
    }
    return "malformed chunk: " + oneLine(m);
  }

  /**
   * The body with the spec's extra fields merged in ({@link BodyMerge}): objects merge at every
   * depth, other values replace; a change to a reserved field is refused.
   *
   * @throws IllegalArgumentException one line, for a reserved field or a value that is not JSON
   */
  static byte[] finish(ObjectNode body, Map<String, Object> extraBody, java.util.List<ReservedField> reserved) {
    BodyMerge.check(extraBody, reserved);
    try {
      if (!extraBody.isEmpty()) {
        BodyMerge.mergeInto(body, MAPPER.valueToTree(extraBody));
      }
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "body: values must be JSON values (strings, numbers, booleans, lists, maps): "
              + oneLine(String.valueOf(e.getMessage())),
          e);
    }
  }
}
