package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenAI-style chunks, chat ({@code choices[].delta}) and legacy completions ({@code
 * choices[].text}) alike, as sent by OpenAI, vLLM, SGLang, TGI's Messages API, llama.cpp,
 * OpenRouter, Groq and DeepSeek.
 *
 * <p>One chunk-choice with generated output of any kind is one token. When one chunk-choice
 * carries several kinds (reasoning and content together), it is still one token, counted under
 * the kind that is not reasoning, and the other kinds are noted. Where the server puts a usage
 * object on every chunk (vLLM's {@code stream_options.continuous_usage_stats}), a chunk with one
 * choice's output carries as many tokens as {@code completion_tokens} grew since the previous one.
 */
final class OpenAiChunkHandler extends JsonEventHandler {

  /** Choice indices beyond this are refused rather than tracked (untrusted input). */
  static final int MAX_CHOICES = 1024;

  private OpenAiChoice[] choices = {new OpenAiChoice()};
  private int choiceCount;

  private @Nullable String error;
  private @Nullable Map<String, Object> timings;
  private boolean hasUsage;
  private @Nullable Long promptTokens;
  private @Nullable Long completionTokens;
  private @Nullable Long cachedTokens;
  private @Nullable Long reasoningTokens;

  // continuous usage: the count after the previous chunk, and whether every output chunk had one
  private long completionSoFar;
  private boolean usageOnEveryOutputChunk = true;

  private final BitSet seen = new BitSet();
  private final BitSet finished = new BitSet();
  private boolean idKept;
  private boolean modelKept;
  private boolean fingerprintKept;

  @Override
  void begin() {
    choiceCount = 0;
    error = null;
    timings = null;
    hasUsage = false;
    promptTokens = null;
    completionTokens = null;
    cachedTokens = null;
    reasoningTokens = null;
  }

  @Override
  void field(String name, JsonParser p, StreamState st) throws IOException {
    switch (name) {
      case "choices":
        readChoices(p);
        break;
      case "usage":
        readUsage(p);
        break;
      case "error":
        error = errorMessage(p);
        break;
      case "timings": // llama.cpp adds its server-side timings to OpenAI chunks too
        timings = LlamaCppChunkHandler.readTimings(p);
        break;
      // identity fields repeat on every chunk: keep the first only, so later chunks allocate nothing
      case "id":
        if (!idKept) {
          idKept = keep("id", p, st);
        } else {
          Json.skip(p);
        }
        break;
      case "model":
        if (!modelKept) {
          modelKept = keep("model", p, st);
        } else {
          Json.skip(p);
        }
        break;
      case "system_fingerprint":
        if (!fingerprintKept) {
          fingerprintKept = keep("system_fingerprint", p, st);
        } else {
          Json.skip(p);
        }
        break;
      default:
        Json.skip(p);
    }
  }

  private static boolean keep(String key, JsonParser p, StreamState st) throws IOException {
    String v = Json.shortText(p);
    if (v == null || v.isEmpty()) {
      return false;
    }
    st.server(key, v);
    return true;
  }

  private void readChoices(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      Json.skip(p);
      return;
    }
    while (Json.next(p) != JsonToken.END_ARRAY) {
      if (!Json.object(p)) continue;
      if (choiceCount == choices.length) {
        choices = Arrays.copyOf(choices, choiceCount * 2);
      }
      if (choices[choiceCount] == null) {
        choices[choiceCount] = new OpenAiChoice();
      }
      OpenAiChoice c = choices[choiceCount++];
      c.reset();
      c.read(p);
    }
  }

  private void readUsage(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p); // "usage": null on every chunk (TGI 3, SGLang) says nothing
      return;
    }
    hasUsage = true;
    for (String f; (f = Json.field(p)) != null; ) {
      switch (f) {
        case "prompt_tokens":
          promptTokens = Json.longValue(p);
          break;
        case "completion_tokens":
          completionTokens = Json.longValue(p);
          break;
        case "prompt_tokens_details":
          cachedTokens = UsageDetail.read(p, "cached_tokens");
          break;
        case "completion_tokens_details":
          reasoningTokens = UsageDetail.read(p, "reasoning_tokens");
          break;
        default:
          Json.skip(p);
      }
    }
  }

  @Override
  void complete(long nanos, StreamState st) {
    long perChunk = tokensInChunk();
    for (int i = 0; i < choiceCount; i++) {
      OpenAiChoice c = choices[i];
      seen.set(c.index);
      if (c.finish != null) {
        finished.set(c.index);
        st.finishReason(c.finish);
      }
      c.emit(nanos, perChunk, st);
    }
    if (hasUsage) {
      st.usage(promptTokens, completionTokens, cachedTokens, reasoningTokens);
    }
    st.server("timings", timings);
    if (error != null) {
      st.serverError(error);
    }
  }

  /** The server's token count for this chunk's one choice with output; 0 when it does not say. */
  private long tokensInChunk() {
    int withOutput = 0;
    for (int i = 0; i < choiceCount; i++) {
      OpenAiChoice c = choices[i];
      if (c.content.length() + c.refusal.length() + c.tool.length() + c.reasoning.length() > 0) withOutput++;
    }
    long k = 0;
    if (withOutput > 0) {
      if (hasUsage && completionTokens != null && usageOnEveryOutputChunk) {
        long delta = completionTokens - completionSoFar;
        if (withOutput == 1 && delta > 0) k = delta;
      } else {
        usageOnEveryOutputChunk = false;
      }
    }
    if (hasUsage && completionTokens != null) completionSoFar = completionTokens;
    return k;
  }

  @Override
  void ended(long nanos, StreamState st) {
    // Servers differ on [DONE] (TGI's Messages API never sends it): a stream in which every
    // choice got its finish_reason is complete.
    if (st.outcome() == StreamState.Outcome.RUNNING && !seen.isEmpty() && seen.equals(finished)) {
      st.done();
    }
  }
}
