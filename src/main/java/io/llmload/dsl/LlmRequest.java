package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link LlmRequestActionBuilder} collects. Immutable: builders change it through
 * {@link #with}, the one place its fields are copied.
 */
record LlmRequest(
    Function<Session, String> name,
    Function<Session, String> prompt,
    @Nullable Function<Session, List<Map<String, Object>>> messages,
    @Nullable Function<Session, Integer> maxTokens,
    @Nullable Function<Session, String> model,
    @Nullable Function<Session, Integer> minTokens,
    boolean ignoreEos,
    List<BodyField> body,
    List<Map.Entry<String, Function<Session, String>>> headers,
    List<LlmCheck<?>> checks) {

  static LlmRequest of(
      Function<Session, String> name,
      Function<Session, String> prompt,
      @Nullable Function<Session, List<Map<String, Object>>> messages) {
    return new LlmRequest(name, prompt, messages, null, null, null, false, List.of(), List.of(), List.of());
  }

  /** A copy with the changes {@code edit} makes to its draft. */
  LlmRequest with(Consumer<Draft> edit) {
    Draft d = new Draft(this);
    edit.accept(d);
    return d.build();
  }

  /** A list with {@code more} appended, unmodifiable. */
  static <T> List<T> append(List<T> list, List<? extends T> more) {
    List<T> all = new ArrayList<>(list.size() + more.size());
    all.addAll(list);
    all.addAll(more);
    return List.copyOf(all);
  }

  /** The mutable twin of a request, alive only inside {@link #with}: Java's named-field copy. */
  static final class Draft {
    Function<Session, String> name;
    Function<Session, String> prompt;
    @Nullable Function<Session, List<Map<String, Object>>> messages;
    @Nullable Function<Session, Integer> maxTokens;
    @Nullable Function<Session, String> model;
    @Nullable Function<Session, Integer> minTokens;
    boolean ignoreEos;
    List<BodyField> body;
    List<Map.Entry<String, Function<Session, String>>> headers;
    List<LlmCheck<?>> checks;

    private Draft(LlmRequest r) {
      name = r.name;
      prompt = r.prompt;
      messages = r.messages;
      maxTokens = r.maxTokens;
      model = r.model;
      minTokens = r.minTokens;
      ignoreEos = r.ignoreEos;
      body = r.body;
      headers = r.headers;
      checks = r.checks;
    }

    private LlmRequest build() {
      return new LlmRequest(name, prompt, messages, maxTokens, model, minTokens, ignoreEos, body, headers, checks);
    }
  }
}
