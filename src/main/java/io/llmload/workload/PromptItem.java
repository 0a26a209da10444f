package io.llmload.workload;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One prompt of a finite set.
 *
 * @param prompt the prompt, or for chat messages the last user message
 * @param messages the chat messages, or null for a bare prompt
 * @param maxTokens the output length, or null for the run's default
 */
record PromptItem(String prompt, @Nullable List<Map<String, Object>> messages, @Nullable Integer maxTokens) {}
