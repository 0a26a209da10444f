package io.llmload.workload;

import io.llmload.wire.Protocol;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a workload needs to know about the run.
 *
 * @param baseUrl the target's base URL (for {@code /tokenize}), or null when there is none yet
 * @param protocol the wire format, which decides how the output length can be forced
 * @param model the model name, sent to vLLM's {@code /tokenize}; null if unknown
 * @param defaultPrompt the prompt of the {@code fixed} workload ({@code -Dprompt})
 * @param defaultMaxTokens the output bound where the workload gives none ({@code -DmaxTokens})
 * @param authorization the API key and its header for {@code /tokenize}, or null; never logged
 * @param emulator true when the target is the embedded emulator (it has no {@code /tokenize})
 */
public record WorkloadContext(
    @Nullable String baseUrl,
    Protocol protocol,
    @Nullable String model,
    String defaultPrompt,
    int defaultMaxTokens,
    io.llmload.client.@Nullable ApiKey authorization,
    boolean emulator) {

  public WorkloadContext {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(defaultPrompt, "defaultPrompt");
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("maxTokens: " + defaultMaxTokens + " is out of range; allowed: a whole number >= 1");
    }
  }

  @Override
  public String toString() {
    // The authorization value is a secret: keep it out of logs and assertion messages.
    return "WorkloadContext[baseUrl=" + baseUrl + ", protocol=" + protocol + ", model=" + model
        + ", defaultMaxTokens=" + defaultMaxTokens + ", authorization=" + (authorization == null ? null : "***")
        + ", emulator=" + emulator + "]";
  }
}
