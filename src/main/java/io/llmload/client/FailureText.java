package io.llmload.client;

/** The one-line texts a failed exchange reports in its record's {@code error}. */
final class FailureText {
  private FailureText() {}

  /** An HTTP error: the status, a hint where one helps, and the server's own words on one line. */
  static String http(int status, CharSequence errorBody) {
    String body = errorBody.toString().strip().replaceAll("\\s+", " ");
    // OpenAI's reasoning models refuse max_tokens; say what to do before the server's own words
    String hint = status == 400 && body.contains("max_completion_tokens")
        ? " (the model takes max_completion_tokens: -DmaxTokensField=max_completion_tokens)" : "";
    return "HTTP " + status + hint + (body.isEmpty() ? "" : ": " + body);
  }

  static String truncate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static String millis(long nanos) {
    return (nanos / 1_000_000) + " ms";
  }
}
