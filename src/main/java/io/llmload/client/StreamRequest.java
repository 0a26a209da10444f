package io.llmload.client;

import io.llmload.wire.StreamParser;
import io.llmload.wire.StreamState;
import java.util.List;
import java.util.Map;

/**
 * One streaming POST to send: path, body, extra headers and the parser that reads the answer.
 *
 * @param timeoutNanos bound on the whole exchange
 * @param idleTimeoutNanos bound on silence between two reads once connected
 */
public record StreamRequest(
    String requestId,
    String path,
    byte[] body,
    List<Map.Entry<String, String>> headers,
    StreamParser parser,
    StreamState state,
    long timeoutNanos,
    long idleTimeoutNanos) {}
