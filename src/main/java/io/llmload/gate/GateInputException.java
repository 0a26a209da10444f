package io.llmload.gate;

/**
 * Bad input to the gate: a corrupt or mismatched summary, a missing phase, a bad option. The
 * message is one line that names the input and what is wrong, meant to be printed as is.
 */
public final class GateInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GateInputException(String message) {
    super(oneLine(message));
  }

  public GateInputException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** Names from input files (phases, models) may hold line breaks; a message stays one line. */
  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ");
  }
}
