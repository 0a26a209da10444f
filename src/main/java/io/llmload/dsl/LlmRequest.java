package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** What an {@link LlmRequestActionBuilder} collects. Immutable. */
record LlmRequest(
    Function<Session, String> name,
    Function<Session, String> prompt,
    @Nullable Function<Session, List<Map<String, Object>>> messages,
    @Nullable Function<Session, Integer> maxTokens,
    @Nullable Function<Session, String> model,
    @Nullable Function<Session, Integer> minTokens,
    boolean ignoreEos,
    Map<String, Object> body,
    List<Map.Entry<String, Function<Session, String>>> headers,
    List<LlmCheck<?>> checks) {

  static LlmRequest of(
      Function<Session, String> name,
      Function<Session, String> prompt,
      @Nullable Function<Session, List<Map<String, Object>>> messages) {
    return new LlmRequest(name, prompt, messages, null, null, null, false, Map.of(), List.of(), List.of());
  }
}
