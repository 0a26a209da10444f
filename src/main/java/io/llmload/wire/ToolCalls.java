package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A {@code tool_calls} array, as OpenAI (arguments streamed as string pieces) and Ollama (each call
 * whole, arguments as an object) send it: the output text is each function's name and, when a
 * string, its arguments. Anything else is skipped.
 */
final class ToolCalls {
  private ToolCalls() {}

  /** Reads the array at the parser's current token, appending names and string arguments to {@code to}. */
  static void append(JsonParser p, StringBuilder to) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Json.skip(p);
      return;
    }
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      for (String f; (f = Json.field(p)) != null; ) {
        if ("function".equals(f) && p.currentToken() == JsonToken.START_OBJECT) {
          while (Json.next(p) == JsonToken.FIELD_NAME) {
            String g = p.currentName();
            Json.next(p);
            if ("name".equals(g) || "arguments".equals(g)) {
              Json.appendString(p, to); // a non-string (Ollama's arguments object) is skipped
            } else {
              Json.skip(p);
            }
          }
        } else {
          Json.skip(p);
        }
      }
    }
  }
}
