package io.llmload.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A tiny OpenAI-compatible server on loopback that answers every chat request with the same
 * SYNTHETIC three-event stream and remembers the headers it was sent, for tests that need to see
 * what reached the target (the emulator does not expose request headers).
 */
final class SyntheticOpenAiServer implements AutoCloseable {
  static final byte[] SSE =
      ("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
              + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}\n\n"
              + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
              + "data: [DONE]\n\n")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"synthetic-model\",\"object\":\"model\"}]}".getBytes(StandardCharsets.UTF_8);
  static final byte[] REFUSE_MAX_TOKENS =
      ("{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens' is not supported with this model. Use "
              + "'max_completion_tokens' instead.\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\","
              + "\"code\":\"unsupported_parameter\"}}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] METRICS =
      "# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 0\n".getBytes(StandardCharsets.UTF_8);

  /** One request as received: path, raw query (or null) and lower-case header name → values. */
  record Seen(String path, @Nullable String query, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

  /** @param tls null for plain HTTP */
  SyntheticOpenAiServer(@Nullable SSLContext tls) throws IOException {
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls != null) {
      HttpsServer s = HttpsServer.create(at, 0);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = s;
    } else {
      server = HttpServer.create(at, 0);
    }
    pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "synthetic-openai-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/v1/models", ex -> answer(ex, "application/json", MODELS, 200));
    HttpHandler chat = ex -> {
      // a little think time, so a closed-loop run against this server stays at tens of requests
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(ex, "text/event-stream", SSE, 200);
    };
    server.createContext("/v1/chat/completions", chat);
    // Azure OpenAI's shape: the deployment in the path, no /v1
    server.createContext("/openai/deployments/synthetic/chat/completions", chat);
    // An OpenAI reasoning model's refusal of max_tokens (the error OpenAI's API returns)
    server.createContext("/reasoning/v1/chat/completions", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (new String(body, StandardCharsets.UTF_8).contains("\"max_tokens\"")) {
        answer(ex, "application/json", REFUSE_MAX_TOKENS, 400);
      } else {
        answer(ex, "text/event-stream", SSE, 200);
      }
    });
    server.createContext("/metrics", ex -> answer(ex, "text/plain; version=0.0.4", METRICS, 200));
    server.createContext("/", ex -> answer(ex, "application/json", "{}".getBytes(StandardCharsets.UTF_8), 404));
    server.start();
  }

  String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void answer(HttpExchange ex, String type, byte[] body, int status) throws IOException {
    Map<String, List<String>> h = new java.util.TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
    seen.add(new Seen(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(), h));
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
