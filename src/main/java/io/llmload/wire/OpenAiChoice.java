package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One element of an OpenAI-style chunk's {@code choices}: the output of each kind it carried, read
 * into buffers that are reused from chunk to chunk, and how it counts as a token.
 */
final class OpenAiChoice {
  int index;
  final StringBuilder content = new StringBuilder();
  final StringBuilder reasoning = new StringBuilder();
  final StringBuilder refusal = new StringBuilder();
  final StringBuilder tool = new StringBuilder();
  @Nullable String finish;

  void reset() {
    index = 0;
    content.setLength(0);
    reasoning.setLength(0);
    refusal.setLength(0);
    tool.setLength(0);
    finish = null;
  }

  /** Reads one element of {@code choices}. */
  void read(JsonParser p) throws IOException {
    while (Json.next(p) == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = Json.next(p);
      switch (f) {
        case "index":
          if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("choice index is not an integer");
          }
          long i = p.getLongValue();
          if (i < 0 || i >= OpenAiChunkHandler.MAX_CHOICES) {
            throw new IllegalArgumentException("choice index " + i + " out of range");
          }
          index = (int) i;
          break;
        case "delta":
        case "message": // a whole (non-streamed) answer
          readDelta(p);
          break;
        case "text":
          Json.appendString(p, content);
          break;
        case "finish_reason":
          finish = t == JsonToken.VALUE_STRING ? Json.oneLine(p.getText()) : null;
          break;
        default:
          Json.skip(p);
      }
    }
  }

  private void readDelta(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "content":
          if (p.currentToken() == JsonToken.START_ARRAY) {
            appendParts(p, content);
          } else {
            Json.appendString(p, content);
          }
          break;
        case "reasoning_content": // DeepSeek, vLLM, SGLang
        case "reasoning": // OpenRouter, Groq, newer vLLM
          Json.appendString(p, reasoning);
          break;
        case "refusal":
          Json.appendString(p, refusal);
          break;
        case "tool_calls":
          ToolCalls.append(p, tool);
          break;
        default:
          Json.skip(p);
      }
    }
  }

  // content as a list of parts, [{"type":"text","text":"..."}] (Mistral's API does this)
  private static void appendParts(JsonParser p, StringBuilder to) throws IOException {
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      for (String f; (f = Json.field(p)) != null; ) {
        if ("text".equals(f)) {
          Json.appendString(p, to);
        } else {
          Json.skip(p);
        }
      }
    }
  }

  /** Hands the choice's output to the stream's state: one token (or the server's count), under its main kind. */
  void emit(long nanos, long serverTokens, StreamState st) {
    OutputKind primary;
    CharSequence text;
    if (content.length() > 0) {
      primary = OutputKind.CONTENT;
      text = content;
    } else if (refusal.length() > 0) {
      primary = OutputKind.REFUSAL;
      text = refusal;
    } else if (tool.length() > 0) {
      primary = OutputKind.TOOL_CALL;
      text = tool;
    } else if (reasoning.length() > 0) {
      primary = OutputKind.REASONING;
      text = reasoning;
    } else {
      return;
    }
    st.output(primary, index, text, nanos, serverTokens);
    if (primary != OutputKind.REASONING && reasoning.length() > 0) {
      st.alsoKind(OutputKind.REASONING);
    }
    if (primary != OutputKind.TOOL_CALL && tool.length() > 0) {
      st.alsoKind(OutputKind.TOOL_CALL);
    }
    if (primary == OutputKind.CONTENT && refusal.length() > 0) {
      st.alsoKind(OutputKind.REFUSAL);
    }
  }
}
