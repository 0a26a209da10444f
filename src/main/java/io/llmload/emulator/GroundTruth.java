package io.llmload.emulator;

import org.jspecify.annotations.Nullable;

/**
 * What the emulator knows about one request, to compare with what a client measured. Instants are
 * {@link System#nanoTime()} of the emulator's JVM (CLOCK_MONOTONIC on Linux, so comparable with
 * another process on the same machine); {@code receivedEpochMicros} lines them up with wall time.
 * Write instants are when the write future completed, i.e. the bytes were handed to the socket.
 * A value that did not happen (no token yet, a refused request) is null.
 *
 * @param requestId the {@code x-request-id} the client sent, or the one generated for it
 * @param protocol wire format id as in the run folder ({@code openai-chat}, {@code tgi}, ...)
 * @param status HTTP status sent, null if the connection was reset before headers
 * @param receivedNanos when the full request had been read
 * @param receivedEpochMicros the same instant as epoch microseconds
 * @param admittedNanos when it got a batch slot
 * @param queueNanos admitted − received: time waiting for a batch slot
 * @param prefillNanos emulated prefill time of this request (part of the step that produced its
 *     first token)
 * @param firstChunkWrittenNanos first body bytes handed to the socket (e.g. the role-only chunk)
 * @param firstTokenWrittenNanos first output token's chunk handed to the socket
 * @param lastTokenWrittenNanos last output token's chunk handed to the socket
 * @param endNanos the response's last byte handed to the socket (or the connection closed)
 * @param promptTokens prompt length the emulator used
 * @param outputTokens tokens written, summed over choices
 * @param finishReason the finish reason sent, null if the stream did not end normally
 * @param fault the injected fault, if any
 */
public record GroundTruth(
    String requestId,
    String protocol,
    @Nullable Integer status,
    long receivedNanos,
    long receivedEpochMicros,
    @Nullable Long admittedNanos,
    @Nullable Long queueNanos,
    @Nullable Long prefillNanos,
    @Nullable Long firstChunkWrittenNanos,
    @Nullable Long firstTokenWrittenNanos,
    @Nullable Long lastTokenWrittenNanos,
    @Nullable Long endNanos,
    int promptTokens,
    int outputTokens,
    @Nullable String finishReason,
    @Nullable String fault) {

  /** True once the response is complete or the connection ended. */
  public boolean ended() {
    return endNanos != null;
  }

  /** What the emulator knows of an exchange now. */
  static GroundTruth of(Exchange x) {
    return new GroundTruth(
        x.requestId,
        x.wire.protocol(),
        x.status,
        x.receivedNanos,
        x.receivedEpochMicros,
        opt(x.admittedNanos),
        x.admittedNanos == Exchange.UNSET ? null : x.admittedNanos - x.receivedNanos,
        x.admittedNanos == Exchange.UNSET ? null : x.prefillNanos,
        opt(x.writes.firstChunkWritten),
        opt(x.writes.firstTokenWritten),
        opt(x.writes.lastTokenWritten),
        opt(x.endNanos),
        x.promptTokens,
        x.written * x.choices,
        x.sentFinish,
        x.fault == null ? null : x.fault.id());
  }

  private static @Nullable Long opt(long v) {
    return v == Exchange.UNSET ? null : v;
  }
}
