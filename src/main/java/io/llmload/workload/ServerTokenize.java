package io.llmload.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A server's own tokenizer behind {@code POST /tokenize}; one subclass per request/response shape.
 * Responses are untrusted: a count must be a whole number of zero or more, else the call fails.
 */
abstract class ServerTokenize implements TokenCounter {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final URI uri;
  private final io.llmload.client.@Nullable ApiKey authorization;

  ServerTokenize(HttpClient client, String baseUrl, io.llmload.client.@Nullable ApiKey authorization) {
    this.client = client;
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    // vLLM and llama.cpp serve /tokenize at the root, beside /v1: drop a trailing /v1.
    if (base.endsWith("/v1")) base = base.substring(0, base.length() - 3);
    this.uri = URI.create(base + "/tokenize");
    this.authorization = authorization;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The endpoint's name for messages: which server shape this is. */
  abstract String shape();

  abstract ObjectNode body(String prompt, @Nullable List<Map<String, Object>> messages);

  /** The token count in the response, or -1 when the shape is not this server's. */
  abstract long parse(JsonNode response);

  @Override
  public final int count(String prompt, @Nullable List<Map<String, Object>> messages) throws TokenizeException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body(prompt, messages))));
    if (authorization != null) rb.header(authorization.header(), authorization.headerValue());
    HttpResponse<byte[]> resp;
    try {
      resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TokenizeException(uri + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenizeException(uri + ": interrupted");
    }
    if (resp.statusCode() != 200) {
      throw new TokenizeException(uri + ": HTTP " + resp.statusCode());
    }
    long n;
    try {
      n = parse(MAPPER.readTree(resp.body()));
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new TokenizeException(uri + ": the response is not a " + shape() + " /tokenize answer");
    }
    return (int) n;
  }

  @Override
  public final String source() {
    return "server";
  }

  URI uri() {
    return uri;
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A whole number of zero or more, else -1. */
  static long whole(@Nullable JsonNode n) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) return -1;
    return n.asLong() < 0 ? -1 : n.asLong();
  }

  /**
   * llama.cpp: {@code {"content": ..., "add_special": true}} answered by {@code {"tokens": [...]}};
   * {@code add_special} counts the BOS token a completion evaluates too.
   */
  static final class LlamaCpp extends ServerTokenize {
    LlamaCpp(HttpClient client, String baseUrl, io.llmload.client.@Nullable ApiKey authorization) {
      super(client, baseUrl, authorization);
    }

    @Override
    String shape() {
      return "llama.cpp";
    }

    @Override
    ObjectNode body(String prompt, @Nullable List<Map<String, Object>> messages) {
      return MAPPER.createObjectNode().put("content", prompt).put("add_special", true);
    }

    @Override
    long parse(JsonNode r) {
      JsonNode t = r.get("tokens");
      return t != null && t.isArray() ? t.size() : -1;
    }
  }

  /**
   * vLLM: {@code {"model", "prompt"}}, or {@code {"model", "messages"}} for chat so the count
   * includes the chat template as {@code usage.prompt_tokens} does; answered by {@code {"count"}}.
   */
  static final class Vllm extends ServerTokenize {
    private final @Nullable String model;

    Vllm(HttpClient client, String baseUrl, @Nullable String model, io.llmload.client.@Nullable ApiKey authorization) {
      super(client, baseUrl, authorization);
      this.model = model;
    }

    @Override
    String shape() {
      return "vLLM";
    }

    @Override
    ObjectNode body(String prompt, @Nullable List<Map<String, Object>> messages) {
      ObjectNode b = MAPPER.createObjectNode();
      if (model != null) b.put("model", model);
      if (messages != null) b.set("messages", MAPPER.valueToTree(messages));
      else b.put("prompt", prompt);
      return b;
    }

    @Override
    long parse(JsonNode r) {
      return whole(r.get("count"));
    }
  }

  /** TGI: {@code {"inputs": ...}} answered by a list of tokens. */
  static final class Tgi extends ServerTokenize {
    Tgi(HttpClient client, String baseUrl, io.llmload.client.@Nullable ApiKey authorization) {
      super(client, baseUrl, authorization);
    }

    @Override
    String shape() {
      return "TGI";
    }

    @Override
    ObjectNode body(String prompt, @Nullable List<Map<String, Object>> messages) {
      return MAPPER.createObjectNode().put("inputs", prompt);
    }

    @Override
    long parse(JsonNode r) {
      return r.isArray() ? r.size() : -1;
    }
  }
}
