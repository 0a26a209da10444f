package io.llmload.collector;

/** Thrown by {@link Source#open} when the source cannot run on this host; the message says why. */
public final class UnsupportedSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsupportedSourceException(String reason) {
    super(reason, null, false, false);
  }
}
