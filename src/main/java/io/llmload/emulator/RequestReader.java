package io.llmload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a generation request: the protocol's own fields (prompt, max tokens, stream, n) and the
 * {@code x-emulator-*} switches, falling back to the emulator's configured defaults.
 *
 * <p>Prompt tokens are estimated as ceil(characters / 4) of the prompt text (all message contents
 * for chat), the usual rule of thumb for English with BPE tokenizers, unless the request carries
 * {@code x-emulator-prompt-tokens}.
 */
final class RequestReader {
  static final String HEADER_PREFIX = "x-emulator-";

  private RequestReader() {}

  static ParsedRequest read(ServerState server, WireFormat wire, FullHttpRequest req, String requestId, boolean keepAlive) {
    JsonNode body = RequestHandler.parse(req);
    HttpHeaders h = req.headers();
    ModelParams p = server.params;
    String protocol = wire.protocol();

    String promptText;
    boolean stream;
    Integer maxTokens;
    switch (protocol) {
      case "openai-chat" -> {
        promptText = messagesText(body.get("messages"));
        stream = body.path("stream").asBoolean(false);
        maxTokens = intField(body, body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", false);
      }
      case "openai-completions" -> {
        JsonNode prompt = body.get("prompt");
        if (prompt == null) {
          throw new IllegalArgumentException("prompt: required");
        }
        promptText = prompt.isTextual() ? prompt.asText() : prompt.toString();
        stream = body.path("stream").asBoolean(false);
        maxTokens = intField(body, "max_tokens", false);
      }
      case "ollama-generate", "ollama-chat" -> {
        promptText = protocol.equals("ollama-chat") ? messagesText(body.get("messages")) : body.path("prompt").asText("");
        stream = body.path("stream").asBoolean(true);
        maxTokens = intField(body.path("options"), "num_predict", true);
      }
      case "tgi" -> {
        promptText = body.path("inputs").asText("");
        stream = !req.uri().startsWith("/generate?") && !req.uri().equals("/generate"); // /generate answers whole
        maxTokens = intField(body.path("parameters"), "max_new_tokens", false);
      }
      case "llamacpp" -> {
        JsonNode prompt = body.get("prompt");
        promptText = prompt == null ? "" : prompt.isTextual() ? prompt.asText() : prompt.toString();
        stream = body.path("stream").asBoolean(false);
        maxTokens = intField(body, "n_predict", true);
      }
      case "openai-responses" -> {
        JsonNode input = body.get("input");
        if (input == null) {
          throw new IllegalArgumentException("input: required, a string or an array of messages");
        }
        promptText = input.isTextual() ? input.asText() : messagesText(input);
        stream = body.path("stream").asBoolean(false);
        maxTokens = intField(body, "max_output_tokens", false);
      }
      case "anthropic-messages" -> {
        if (h.get("anthropic-version") == null) {
          throw new IllegalArgumentException("anthropic-version: header is required"); // as Anthropic answers
        }
        promptText = body.path("system").asText("") + messagesText(body.get("messages"));
        stream = body.path("stream").asBoolean(false);
        maxTokens = intField(body, "max_tokens", false);
        if (maxTokens == null) {
          throw new IllegalArgumentException("max_tokens: required, an integer >= 1");
        }
      }
      default -> throw new IllegalStateException(protocol);
    }
    int choices = 1;
    if ((protocol.equals("openai-chat") || protocol.equals("openai-completions")) && body.has("n")) {
      JsonNode n = body.get("n");
      if (!n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 128) {
        throw new IllegalArgumentException("n: '" + n + "' is not allowed, expected an integer 1..128");
      }
      choices = n.asInt();
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    // vLLM's per-chunk usage: every chunk says how many tokens the request has produced so far
    boolean continuousUsage = body.path("stream_options").path("continuous_usage_stats").asBoolean(false);
    String model = body.path("model").asText("");
    if (model.isEmpty()) {
      model = server.config.model();
    }

    Integer promptHeader = headerInt(h, "prompt-tokens", 0);
    int promptTokens = promptHeader != null ? promptHeader : Math.max(1, (promptText.length() + 3) / 4)
        + ImageTokens.of(body.get(protocol.equals("openai-responses") ? "input" : "messages"));
    Integer outputTokens = headerOr(h, "output-tokens", Param.OUTPUT_TOKENS, p.outputTokens());
    String content = h.get(HEADER_PREFIX + "content");
    if (content != null) {
      // header bytes arrive as ISO-8859-1 chars; a UTF-8 payload is rebuilt from them
      content = new String(content.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
    Integer reasoning = headerOr(h, "reasoning", Param.REASONING, p.reasoning());
    Integer tpc = headerOr(h, "tokens-per-chunk", Param.TOKENS_PER_CHUNK, p.tokensPerChunk());
    Integer tpe = headerInt(h, "tokens-per-event", 1);
    Integer errorAfter = headerOr(h, "error-after", Param.ERROR_AFTER, p.errorAfter());
    Integer truncateAfter = headerOr(h, "truncate-after", Param.TRUNCATE_AFTER, p.truncateAfter());
    Integer faultAfter = headerOr(h, "fault-after", Param.FAULT_AFTER, p.faultAfter());
    Integer trickle = headerOr(h, "trickle-us", Param.TRICKLE_MICROS, p.trickleMicros());
    String faultHeader = h.get(HEADER_PREFIX + "fault");
    Fault fault = faultHeader != null ? Fault.parse(HEADER_PREFIX + "fault", faultHeader) : p.fault();
    String prefillHeader = h.get(HEADER_PREFIX + "prefill-ms");
    Double prefillMs = prefillHeader != null
        ? Double.valueOf(Param.PREFILL_MS.check(HEADER_PREFIX + "prefill-ms", prefillHeader))
        : p.prefillMs();
    long prefillNanos = prefillMs != null ? Math.round(prefillMs * 1e6) : p.prefillNanos(promptTokens);

    return new ParsedRequest(
        requestId,
        server.nextId(idPrefix(protocol)),
        model,
        stream,
        includeUsage,
        keepAlive,
        choices,
        promptText,
        promptTokens,
        maxTokens == null ? p.defaultMaxTokens() : maxTokens,
        outputTokens,
        content,
        reasoning,
        fault,
        faultAfter,
        errorAfter,
        truncateAfter,
        trickle,
        tpc,
        tpe == null ? 1 : tpe,
        continuousUsage,
        prefillNanos);
  }

  private static String idPrefix(String protocol) {
    return switch (protocol) {
      case "openai-chat" -> "chatcmpl-emu";
      case "openai-responses" -> "resp_emu";
      case "anthropic-messages" -> "msg_emu";
      default -> "cmpl-emu";
    };
  }

  /** All text of chat messages: string contents and the {@code text} of content parts. */
  private static String messagesText(@Nullable JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("messages: required, expected an array of {role, content}");
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : messages) {
      JsonNode c = m.get("content");
      if (c == null || c.isNull()) {
        continue;
      }
      if (c.isTextual()) {
        sb.append(c.asText());
      } else if (c.isArray()) {
        for (JsonNode part : c) {
          sb.append(part.path("text").asText(""));
        }
      }
    }
    return sb.toString();
  }

  /** A positive integer field; -1 (and absence) mean "the default" where the protocol says so. */
  private static @Nullable Integer intField(JsonNode obj, String name, boolean minusOneIsDefault) {
    JsonNode n = obj.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.canConvertToInt()) {
      int v = n.asInt();
      if (v >= 1) {
        return v;
      }
      if (minusOneIsDefault && v == -1) {
        return null;
      }
    }
    throw new IllegalArgumentException(name + ": '" + n + "' is not allowed, expected an integer >= 1" + (minusOneIsDefault ? " or -1" : ""));
  }

  private static @Nullable Integer headerInt(HttpHeaders h, String name, int min) {
    String v = h.get(HEADER_PREFIX + name);
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(HEADER_PREFIX + name + ": '" + v + "' is not allowed, expected an integer >= " + min);
  }

  private static Integer headerOr(HttpHeaders h, String name, Param p, @Nullable Integer dflt) {
    String v = h.get(HEADER_PREFIX + name);
    if (v == null) {
      return dflt;
    }
    return Integer.valueOf(p.check(HEADER_PREFIX + name, v));
  }
}
