package io.llmload.workload;

import io.llmload.wire.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a protocol forces the output length to {@code maxTokens}: vLLM/SGLang behind openai-* take
 * {@code ignore_eos} and {@code min_tokens}, llama.cpp takes {@code ignore_eos}; Ollama's {@code
 * num_predict} (sent from maxTokens) and TGI's {@code max_new_tokens} are upper bounds only, and
 * neither server has a way to force more.
 */
record OutputForcing(boolean requested, Protocol protocol) {

  static boolean supported(Protocol p) {
    return p == Protocol.OPENAI_CHAT || p == Protocol.OPENAI_COMPLETIONS || p == Protocol.LLAMACPP;
  }

  /** Why the protocol cannot force, or null if it can. */
  static @Nullable String unsupportedReason(Protocol p) {
    return switch (p) {
      case OLLAMA_CHAT, OLLAMA_GENERATE -> p.id() + " cannot force the output length (options.num_predict, sent from maxTokens, is only an upper bound)";
      case TGI -> "tgi cannot force the output length (parameters.max_new_tokens is only an upper bound; TGI has no ignore_eos or min_tokens)";
      default -> null;
    };
  }

  boolean forces() {
    return requested && supported(protocol);
  }

  Map<String, Object> extraBody() {
    return forces() ? Map.of("ignore_eos", true) : Map.of();
  }

  /** The per-record {@code min_tokens}, where the protocol takes one. */
  @Nullable Integer minTokens(int maxTokens) {
    return forces() && protocol != Protocol.LLAMACPP ? maxTokens : null;
  }

  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requested", requested);
    m.put("forced", forces());
    if (forces()) {
      m.put("body", protocol == Protocol.LLAMACPP
          ? "ignore_eos: true (extraBody)"
          : "ignore_eos: true (extraBody), min_tokens = maxTokens (the records' minTokens)");
    } else if (requested) {
      m.put("not_forced_because", unsupportedReason(protocol));
    }
    return m;
  }
}
