package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads Ollama's native NDJSON objects, {@code /api/generate} ({@code response}, {@code thinking})
 * and {@code /api/chat} ({@code message.content}, {@code message.thinking}, {@code
 * message.tool_calls}) alike. The last object has {@code "done":true} and the server's counters.
 */
final class OllamaChunkHandler extends JsonEventHandler {

  private final StringBuilder content = new StringBuilder();
  private final StringBuilder thinking = new StringBuilder();
  private final StringBuilder tool = new StringBuilder();
  private boolean done;
  private @Nullable String doneReason;
  private @Nullable String error;
  private @Nullable Long evalCount;
  private @Nullable Long evalDuration;
  private @Nullable Long promptEvalCount;
  private @Nullable Long promptEvalDuration;
  private @Nullable Long loadDuration;
  private @Nullable Long totalDuration;
  private boolean modelKept;

  @Override
  void begin() {
    content.setLength(0);
    thinking.setLength(0);
    tool.setLength(0);
    done = false;
    doneReason = null;
    error = null;
    evalCount = null;
    evalDuration = null;
    promptEvalCount = null;
    promptEvalDuration = null;
    loadDuration = null;
    totalDuration = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "response":
        Json.appendString(p, content);
        break;
      case "thinking":
        Json.appendString(p, thinking);
        break;
      case "message":
        readMessage(p);
        break;
      case "done":
        done = p.currentToken() == JsonToken.VALUE_TRUE;
        break;
      case "done_reason":
        doneReason = Json.shortText(p);
        break;
      case "error":
        error = errorMessage(p);
        break;
      case "eval_count":
        evalCount = Json.longValue(p);
        break;
      case "eval_duration":
        evalDuration = Json.longValue(p);
        break;
      case "prompt_eval_count":
        promptEvalCount = Json.longValue(p);
        break;
      case "prompt_eval_duration":
        promptEvalDuration = Json.longValue(p);
        break;
      case "load_duration":
        loadDuration = Json.longValue(p);
        break;
      case "total_duration":
        totalDuration = Json.longValue(p);
        break;
      case "model":
        if (!modelKept) {
          String m = Json.shortText(p);
          if (m != null && !m.isEmpty()) {
            st.server("model", m);
            modelKept = true;
          }
        } else {
          Json.skip(p);
        }
        break;
      default:
        Json.skip(p); // context (token ids of the whole conversation), created_at, ...
    }
  }

  private void readMessage(JsonParser p) throws IOException {
    if (!Json.object(p)) return;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "content":
          Json.appendString(p, content);
          break;
        case "thinking":
          Json.appendString(p, thinking);
          break;
        case "tool_calls":
          ToolCalls.append(p, tool); // each call whole: its name is the output
          break;
        default:
          Json.skip(p);
      }
    }
  }

  @Override
  void complete(long nanos, StreamState st) {
    if (content.length() > 0) {
      st.output(OutputKind.CONTENT, 0, content, nanos);
      if (thinking.length() > 0) {
        st.alsoKind(OutputKind.REASONING);
      }
      if (tool.length() > 0) {
        st.alsoKind(OutputKind.TOOL_CALL);
      }
    } else if (tool.length() > 0) {
      st.output(OutputKind.TOOL_CALL, 0, tool, nanos);
      if (thinking.length() > 0) {
        st.alsoKind(OutputKind.REASONING);
      }
    } else if (thinking.length() > 0) {
      st.output(OutputKind.REASONING, 0, thinking, nanos);
    }
    if (error != null) {
      st.serverError(error);
    }
    if (!done) {
      return;
    }
    st.server("eval_count", evalCount);
    st.server("eval_duration_ns", evalDuration);
    st.server("prompt_eval_count", promptEvalCount);
    st.server("prompt_eval_duration_ns", promptEvalDuration);
    st.server("load_duration_ns", loadDuration);
    st.server("total_duration_ns", totalDuration);
    st.server("done_reason", doneReason);
    if (evalCount != null) {
      st.serverOutputTokens(evalCount, "eval_count");
      if (evalDuration != null && evalDuration > 0) {
        st.server("decode_tokens_per_s", evalCount * 1e9 / evalDuration);
      }
    }
    if (promptEvalCount != null) {
      st.serverPromptTokens(promptEvalCount);
    }
    st.finishReason(doneReason);
    st.done();
  }
}
