package io.llmload.client;

import io.llmload.wire.StreamState;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one exchange. Instants are {@link System#nanoTime()}; 0 means "did not happen".
 *
 * @param startNanos when the client began (connection acquisition included)
 * @param sentNanos when the request was handed to the socket
 * @param headersNanos when the response headers arrived
 * @param endNanos when the exchange ended, successfully or not
 */
public record ExchangeResult(
    Status status,
    @Nullable Integer httpStatus,
    @Nullable String error,
    long startNanos,
    long sentNanos,
    long headersNanos,
    long endNanos,
    StreamState state) {}
