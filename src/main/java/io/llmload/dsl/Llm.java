package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
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
    return prompt(Expressions.expressionToJavaFunction(Expressions.toStringExpression(prompt)));
  }

  /**
   * @param prompt the user prompt, computed from the session
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder prompt(@NonNull Function<Session, String> prompt) {
    return new LlmRequestActionBuilder(LlmRequest.of(name, prompt, null));
  }

  /** The prompt for protocols that take text, not a chat: the last user message. */
  static String lastUserContent(List<Map<String, Object>> messages) {
    if (messages == null) return "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      Map<String, Object> m = messages.get(i);
      if ("user".equals(m.get("role")) && m.get("content") != null) return m.get("content").toString();
    }
    return "";
  }

  /**
   * @param messages the chat history (role and content maps), computed from the session
   * @return the next DSL step
   */
  public @NonNull LlmRequestActionBuilder messages(
      @NonNull Function<Session, List<Map<String, Object>>> messages) {
    return new LlmRequestActionBuilder(LlmRequest.of(name, s -> lastUserContent(messages.apply(s)), messages));
  }
}
