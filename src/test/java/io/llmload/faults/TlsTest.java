package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.testing.SimulationRunner;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  @Test
  void aSelfSignedTargetIsRefusedUnlessInsecureIsAsked(@TempDir Path dir) throws Exception {
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(sslContext(keyStore(dir)))) {
      String url = server.url();
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
      long chats = server.seen().stream().filter(x -> x.path().equals("/v1/chat/completions")).count();
      assertEquals(lines.size(), chats, "every recorded request reached the TLS server");
    }
  }

  /** A self-signed key pair for 127.0.0.1, made with the JDK's keytool. */
  static KeyStore keyStore(Path dir) throws Exception {
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

  static SSLContext sslContext(KeyStore ks) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
