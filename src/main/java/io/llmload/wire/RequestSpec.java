package io.llmload.wire;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one request asks for, independent of the wire format. A codec turns it into a body.
 *
 * @param model model name, or null where the server does not need one
 * @param prompt the user prompt (sent only when {@code messages} is null)
 * @param messages the conversation as role/content maps, or null for a single user prompt; chat
 *     protocols send it as is, the others as one text (see {@code docs/wire-codecs.md})
 * @param maxTokens output length bound, or null for the server's default
 * @param minTokens forced minimum output length where the server allows it, or null
 * @param ignoreEos ask the server not to stop at end-of-sequence (forces the output length)
 * @param extraBody extra body fields, merged last at every depth (e.g. {@code ignore_eos}, {@code n},
 *     {@code parameters: {temperature: 0}}); null values are sent as JSON null
 */
public record RequestSpec(
    @Nullable String model,
    String prompt,
    @Nullable List<Map<String, Object>> messages,
    @Nullable Integer maxTokens,
    @Nullable Integer minTokens,
    boolean ignoreEos,
    Map<String, Object> extraBody) {

  public RequestSpec {
    // in the caller's order, so the body reads as written; null values allowed (JSON null)
    extraBody =
        extraBody == null || extraBody.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraBody));
  }

  public static RequestSpec of(@Nullable String model, String prompt, @Nullable Integer maxTokens) {
    return new RequestSpec(model, prompt, null, maxTokens, null, false, Map.of());
  }
}
