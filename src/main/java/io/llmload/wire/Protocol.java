package io.llmload.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire formats the suite speaks; the name is what users pass as {@code -Dprotocol}. */
public enum Protocol {
  OPENAI_CHAT("openai-chat"),
  OPENAI_COMPLETIONS("openai-completions"),
  OLLAMA_GENERATE("ollama-generate"),
  OLLAMA_CHAT("ollama-chat"),
  TGI("tgi"),
  LLAMACPP("llamacpp"),
  OPENAI_RESPONSES("openai-responses"),
  ANTHROPIC_MESSAGES("anthropic-messages"),
  OPENAI_EMBEDDINGS("openai-embeddings"),
  RERANK("rerank");

  private final String id;

  Protocol(String id) {
    this.id = id;
  }

  /** Whether the server generates tokens (streamed or not); embeddings and rerank do not. */
  public boolean generates() {
    return this != OPENAI_EMBEDDINGS && this != RERANK;
  }

  /** Whether requests carry the conversation as a list of messages (the others send one text). */
  public boolean sendsMessages() {
    return this == OPENAI_CHAT || this == OLLAMA_CHAT || this == OPENAI_RESPONSES || this == ANTHROPIC_MESSAGES;
  }

  /** The name used on the command line and in run folders. */
  public String id() {
    return id;
  }

  /**
   * Parses a protocol name.
   *
   * @throws IllegalArgumentException with a one-line message naming the allowed values
   */
  public static Protocol parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.id.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("protocol: '" + name + "' is not one of " + allowed());
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Protocol::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
