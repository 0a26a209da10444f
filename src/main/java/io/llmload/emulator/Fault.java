package io.llmload.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Wire faults a request can ask for with {@code x-emulator-fault}. */
public enum Fault {
  /** Connection reset (RST) right after the request is read; no status line. */
  RESET_BEFORE_HEADERS("reset-before-headers"),
  /** Connection reset after {@code fault-after} tokens. */
  RESET_MID_STREAM("reset-mid-stream"),
  /** Status line and headers, then nothing until the client gives up. */
  STALL("stall"),
  /** One event whose JSON is cut off, after {@code fault-after} tokens; the stream then goes on. */
  MALFORMED_CHUNK("malformed-chunk"),
  HTTP_429("http-429"),
  HTTP_500("http-500"),
  HTTP_503("http-503"),
  /** A streaming request answered with one plain JSON body (as if {@code stream} were ignored). */
  NOT_A_STREAM("not-a-stream"),
  /** One event carrying 4 MiB of content after {@code fault-after} tokens. */
  HUGE_CHUNK("huge-chunk"),
  /** The body is sent one byte at a time, {@code trickleMicros} apart. */
  TRICKLE("trickle"),
  /** {@code Connection: close} and the connection closed after the response. */
  CLOSE_AFTER("close-after");

  private final String id;

  Fault(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * Parses a fault name.
   *
   * @throws IllegalArgumentException naming {@code where} and the allowed values
   */
  public static Fault parse(String where, String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Fault f : values()) {
      if (f.id.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(where + ": '" + name + "' is not allowed, expected one of " + allowed());
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Fault::id).collect(Collectors.joining("|"));
  }
}
