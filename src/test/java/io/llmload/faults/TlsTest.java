package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.llmload.testing.SimulationRunner;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target behind a self-signed certificate: refused by default with a one-line reason, accepted
 * only with {@code -Dtls.insecure=true}, which says so in the output. The server is synthetic.
 */
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final byte[] SSE =
      ("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
              + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}\n\n"
              + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
              + "data: [DONE]\n\n")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"tls-synthetic\",\"object\":\"model\"}]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSelfSignedTargetIsRefusedUnlessInsecureIsAsked(@TempDir Path dir) throws Exception {
    HttpsServer server = server(keyStore(dir));
    server.start();
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    try {
      var refused =
          SimulationRunner.run(
              "io.llmload.simulations.ConstantUsers",
              Map.of("target", url, "users", "1", "duration", "1s", "maxTokens", "4"),
              dir.resolve("strict"),
              Duration.ofSeconds(60));
      assertEquals(2, refused.exitCode(), SimulationRunner.tail(refused.output()));
      assertTrue(
          refused.output().contains("llm-load-suite: target: cannot reach " + url + " (SSLHandshakeException")
              && refused.output().contains("for a self-signed certificate add -Dtls.insecure=true"),
          SimulationRunner.tail(refused.output()));
      assertFalse(refused.output().contains("\tat "), "no stack trace");

      var insecure =
          SimulationRunner.run(
              "io.llmload.simulations.ConstantUsers",
              Map.of("target", url, "users", "1", "duration", "1s", "maxTokens", "4", "tls.insecure", "true",
                  "console.period", "0s"),
              dir.resolve("insecure"),
              Duration.ofSeconds(60));
      assertEquals(0, insecure.exitCode(), SimulationRunner.tail(insecure.output()));
      assertTrue(insecure.output().contains("TLS certificate verification is OFF for " + url), SimulationRunner.tail(insecure.output()));
      List<String> lines = Files.readAllLines(insecure.runFolder().resolve("requests.jsonl"));
      assertFalse(lines.isEmpty());
      for (String l : lines) assertTrue(l.contains("\"status\":\"ok\""), l);
    } finally {
      server.stop(0);
    }
  }

  /** A self-signed key pair for 127.0.0.1, made with the JDK's keytool. */
  private static KeyStore keyStore(Path dir) throws Exception {
    Path ks = dir.resolve("self-signed.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      k.load(in, PASSWORD);
    }
    return k;
  }

  private static HttpsServer server(KeyStore ks) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    s.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "tls-test-server");
      t.setDaemon(true);
      return t;
    }));
    s.createContext("/v1/models", ex -> answer(ex, "application/json", MODELS));
    s.createContext("/v1/chat/completions", ex -> answer(ex, "text/event-stream", SSE));
    s.createContext("/", ex -> answer(ex, "application/json", "{}".getBytes(StandardCharsets.UTF_8), 404));
    return s;
  }

  private static void answer(HttpExchange ex, String type, byte[] body) throws IOException {
    answer(ex, type, body, 200);
  }

  private static void answer(HttpExchange ex, String type, byte[] body, int status) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }
}
