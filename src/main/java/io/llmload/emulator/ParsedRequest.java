package io.llmload.emulator;

import org.jspecify.annotations.Nullable;

/** What a request asks for, after reading its body and its {@code x-emulator-*} headers. */
record ParsedRequest(
    String requestId,
    String responseId,
    String model,
    boolean stream,
    boolean includeUsage,
    boolean keepAlive,
    int choices,
    String promptText,
    int promptTokens,
    int maxTokens,
    @Nullable Integer outputTokens,
    @Nullable String content,
    int reasoning,
    @Nullable Fault fault,
    int faultAfter,
    @Nullable Integer errorAfter,
    @Nullable Integer truncateAfter,
    int trickleMicros,
    int tokensPerChunk,
    int tokensPerEvent,
    boolean continuousUsage,
    long prefillNanos) {}
