package io.llmload.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.client.Target;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Asks the server who it is before load starts ({@code /v1/models}, llama.cpp {@code /props}, TGI
 * {@code /info}, Ollama {@code /api/version}). Doubles as the reachability check: a target nobody
 * listens on stops the run before any load.
 */
final class ServerIdentity {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private ServerIdentity() {}

  /** Thrown when nothing answers at the target. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  /**
   * @return what the first identity path that answered said: path, status and JSON body
   */
  static Map<String, Object> fetch(
      Target target, List<String> paths, io.llmload.client.@Nullable ApiKey authorization, boolean insecureTls) throws Unreachable {
    HttpClient.Builder hb =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
    // The load itself honours -Dtls.insecure; the identity check must too, or it refuses the target first.
    if (insecureTls && target.tls()) hb.sslContext(TrustAll.context());
    HttpClient http = hb.build();
    Map<String, Object> last = new LinkedHashMap<>();
    for (String path : paths) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(target.origin() + target.requestUri(path))).timeout(Duration.ofSeconds(10)).GET();
      if (authorization != null) b.header(authorization.header(), authorization.headerValue());
      try {
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        last = new LinkedHashMap<>();
        last.put("path", path);
        last.put("status", r.statusCode());
        if (r.statusCode() == 200) {
          byte[] body = r.body();
          if (body.length <= MAX_BODY) {
            try {
              last.put("body", JSON.readTree(body));
            } catch (IOException notJson) {
              last.put("body", new String(body, 0, Math.min(body.length, 2000), java.nio.charset.StandardCharsets.UTF_8));
            }
          }
          return last;
        }
      } catch (ConnectException e) {
        throw new Unreachable("target: nobody listens at " + target.url() + " (connection refused)");
      } catch (javax.net.ssl.SSLHandshakeException e) {
        throw new Unreachable("target: cannot reach " + target.url() + " (SSLHandshakeException: " + e.getMessage()
            + "); for a self-signed certificate add -Dtls.insecure=true");
      } catch (HttpTimeoutException e) {
        throw new Unreachable("target: " + target.url() + " did not answer within 10 s");
      } catch (IOException e) {
        throw new Unreachable("target: cannot reach " + target.url() + " (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unreachable("target: interrupted while contacting " + target.url());
      }
    }
    return last;
  }

  /** The first model id an OpenAI-style model list names, or null. */
  static @Nullable String firstModel(Map<String, Object> identity) {
    if (identity.get("body") instanceof JsonNode n) {
      JsonNode id = n.path("data").path(0).path("id");
      if (id.isTextual()) return id.asText();
      JsonNode ollama = n.path("models").path(0).path("name");
      if (ollama.isTextual()) return ollama.asText();
    }
    return null;
  }
}
