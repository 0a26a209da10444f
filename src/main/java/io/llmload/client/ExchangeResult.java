package io.llmload.client;

import io.llmload.wire.StreamState;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one exchange. Instants are {@link System#nanoTime()}; 0 means "did not happen".
 *
 * @param startNanos when the client began: before any connection setup (queue delay ends here)
 * @param sentNanos when the request was handed to the socket, after connection setup (TTFB, TTFT
 *     and E2E start here)
 * @param headersNanos when the response headers arrived
 * @param endNanos when the exchange ended, successfully or not
 * @param connection how the connection the request went on was obtained
 */
public record ExchangeResult(
    Status status,
    @Nullable Integer httpStatus,
    @Nullable String error,
    long startNanos,
    long sentNanos,
    long headersNanos,
    long endNanos,
    Connection connection,
    StreamState state) {

  /**
   * Connection setup of one request.
   *
   * @param connectNanos TCP connect duration; 0 on a reused connection or when none was made
   * @param tlsNanos TLS handshake duration; 0 on a reused or plain connection
   * @param reused the request went on a pooled, kept-alive connection
   * @param retried the request was sent again, once, on a fresh connection after the server
   *     dropped or reset a pooled one before any response byte
   */
  public record Connection(long connectNanos, long tlsNanos, boolean reused, boolean retried) {
    public static final Connection NONE = new Connection(0, 0, false, false);
  }
}
