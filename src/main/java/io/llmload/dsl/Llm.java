package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.NonNull;

/**
 * The first step of an LLM request: it has a name and needs what to ask. The next step is
 * {@link LlmRequestActionBuilder}.
 */
public final class Llm {
  private final Function<Session, String> name;

  Llm(Function<Session, String> name) {
    this.name = name;
  }

  /**
   * @param prompt the user prompt, expressed as a Gatling Expression Language String
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder prompt(@NonNull String prompt) {
    return prompt(SessionValues.isExpression(prompt) ? SessionValues.string(prompt) : s -> prompt);
  }

  /**
   * @param prompt the user prompt, computed from the session
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder prompt(@NonNull Function<Session, String> prompt) {
    return new LlmRequestActionBuilder(LlmRequest.of(name, prompt, null));
  }

  /**
   * @param messages the conversation (role and content maps); chat protocols send it as is, the
   *     protocols that take one text send every content joined by newlines
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder messages(@NonNull List<Map<String, Object>> messages) {
    List<Map<String, Object>> copy = List.copyOf(messages);
    return messages(s -> copy);
  }

  /**
   * @param messages the conversation, expressed as a Gatling Expression Language String naming a
   *     list of role and content maps, e.g. {@code "#{messages}"}
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder messages(@NonNull String messages) {
    return messages(SessionValues.messages(messages));
  }

  /**
   * @param messages the conversation (role and content maps), computed from the session; null
   *     sends an empty prompt
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder messages(
      @NonNull Function<Session, List<Map<String, Object>>> messages) {
    return new LlmRequestActionBuilder(LlmRequest.of(name, s -> "", messages));
  }
}
