package io.llmload.client;

import java.util.Locale;

/**
 * The API key and the header that carries it: {@code Authorization: Bearer <key>} by default,
 * the bare key in any other header ({@code api-key} for Azure OpenAI, {@code x-api-key} for
 * Anthropic-style gateways). The key comes from the environment; {@link #toString()} masks it, so
 * that it never reaches a log line, an exception message or a file by accident.
 */
public final class ApiKey {
  public static final String DEFAULT_HEADER = "Authorization";

  private final String header;
  private final String key;

  private ApiKey(String header, String key) {
    this.header = header;
    this.key = key;
  }

  /**
   * @param header the header name, checked as an HTTP token
   * @throws IllegalArgumentException one line naming {@code apiKeyHeader}
   */
  public static ApiKey of(String header, String key) {
    String h = header == null ? "" : header.trim();
    if (h.isEmpty() || !h.chars().allMatch(ApiKey::tokenChar)) {
      throw new IllegalArgumentException(
          "apiKeyHeader: '" + header + "' is not an HTTP header name; allowed: letters, digits and !#$%&'*+-.^_`|~ (e.g. Authorization, api-key, x-api-key)");
    }
    return new ApiKey(h, key == null ? "" : key);
  }

  /** The same key in another header. */
  public ApiKey inHeader(String otherHeader) {
    return of(otherHeader, key);
  }

  /** Checks a header name without a key, for validating parameters before load. */
  public static void checkHeader(String header) {
    of(header, "");
  }

  private static boolean tokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  public String header() {
    return header;
  }

  /** False for a header named before any key was given. */
  public boolean present() {
    return !key.isEmpty();
  }

  /** The header's value, key included: for the request only. */
  public String headerValue() {
    return header.toLowerCase(Locale.ROOT).equals("authorization") ? "Bearer " + key : key;
  }

  @Override
  public String toString() {
    return header + ": ***";
  }
}
