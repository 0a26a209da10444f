package io.llmload.dsl;

import io.llmload.record.RequestRecord;
import org.jspecify.annotations.Nullable;

/** What a finished request measured, as streaming checks see it. */
public final class LlmResult {
  private final RequestRecord record;
  private final @Nullable String content;

  LlmResult(RequestRecord record, @Nullable String content) {
    this.record = record;
    this.content = content;
  }

  public @Nullable Double ttfbMs() {
    return record.ttfbMs;
  }

  public @Nullable Double ttftMs() {
    return record.ttftMs;
  }

  public @Nullable Double ttfoMs() {
    return record.ttfoMs;
  }

  public @Nullable Double e2eMs() {
    return record.e2eMs;
  }

  public @Nullable Double tpotMs() {
    return record.tpotMs;
  }

  public @Nullable Double tokensPerSecond() {
    return record.tokensPerS;
  }

  public @Nullable Double decodeTokensPerSecond() {
    return record.decodeTokensPerS;
  }

  public @Nullable Long outputTokens() {
    return record.outputTokens;
  }

  public @Nullable Long promptTokens() {
    return record.promptTokens;
  }

  public @Nullable String finishReason() {
    return record.finishReason;
  }

  /** Generated content text; captured only when a check or saveAs asks for it. */
  public @Nullable String content() {
    return content;
  }
}
