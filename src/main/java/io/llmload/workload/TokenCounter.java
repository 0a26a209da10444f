package io.llmload.workload;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Counts the input tokens of a prompt: the server's tokenizer, or an estimate. */
interface TokenCounter {

  /**
   * @param prompt the prompt text as sent (for chat messages, their contents joined)
   * @param messages the chat messages as sent, or null
   * @return the number of input tokens
   * @throws TokenizeException when the source cannot count (only server sources)
   */
  int count(String prompt, @Nullable List<Map<String, Object>> messages) throws TokenizeException;

  /** {@code "server"} or {@code "estimated"}, as written into the records. */
  String source();

  /** A failed count, with a one-line reason. */
  final class TokenizeException extends Exception {
    TokenizeException(String message) {
      super(message, null, false, false);
    }
  }
}
