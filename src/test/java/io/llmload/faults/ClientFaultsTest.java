package io.llmload.faults;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.client.ExchangeResult;
import io.llmload.client.Status;
import io.llmload.client.StreamRequest;
import io.llmload.client.StreamingClient;
import io.llmload.client.Target;
import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import io.llmload.wire.StreamState;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two matrix rows a simulation cannot drive through the emulator, tested on the streaming
 * client itself: a refused connection (a run refuses to start against a dead target, so mid-run
 * refusals are only reachable here) and a server that drops a kept-alive connection just as the
 * next request is written on it. And connection setup, recorded apart and in no latency: the
 * request is written after the TCP connect and the TLS handshake, so TTFB, TTFT and E2E start after
 * both, and a reused connection has neither (plain HTTP and TLS, against a SYNTHETIC server).
 */
class ClientFaultsTest {
  private static final StreamCodec CODEC = StreamCodec.of(Protocol.OPENAI_CHAT);
  /** A synthetic, minimal OpenAI chat stream. */
  private static final byte[] SSE =
      ("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
              + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
              + "data: [DONE]\n\n")
          .getBytes(StandardCharsets.UTF_8);

  private MultiThreadIoEventLoopGroup group;

  @BeforeEach
  void loop() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedConnectionIsConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (StreamingClient c = client(port)) {
      ExchangeResult r = send(c, "refused-1");
      assertEquals(Status.CONNECT_ERROR, r.status());
      assertEquals("connection refused by 127.0.0.1:" + port, r.error());
      assertNull(r.httpStatus());
      assertEquals(0, r.sentNanos(), "nothing was sent");
    }
  }

  @Test
  void aKeptAliveConnectionDroppedUnderTheNextRequestIsRetriedOnce() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serveOncePerConnection(server, connections, requests), "one-shot-server");
      t.setDaemon(true);
      t.start();
      try (StreamingClient c = client(server.getLocalPort())) {
        for (int i = 0; i < 3; i++) {
          ExchangeResult r = send(c, "keepalive-" + i);
          assertEquals(Status.OK, r.status(), "request " + i + ": " + r.error());
          assertEquals(200, r.httpStatus());
        }
      }
      // 1st on a new connection; 2nd and 3rd each hit a dropped pooled connection, then a new one.
      assertEquals(3, connections.get(), "connections");
      assertEquals(5, requests.get(), "requests the server read");
    }
  }

  @Test
  void aPooledConnectionResetBeforeAnyAnswerIsRetriedOnceAndSaysSo() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serveOncePerConnection(server, connections, requests, true), "resetting-server");
      t.setDaemon(true);
      t.start();
      try (StreamingClient c = client(server.getLocalPort())) {
        ExchangeResult first = send(c, "reset-0");
        assertEquals(Status.OK, first.status(), first.error());
        assertFalse(first.connection().retried());
        ExchangeResult second = send(c, "reset-1");
        assertEquals(Status.OK, second.status(), "a reset pooled connection is retried: " + second.error());
        assertTrue(second.connection().retried(), "the record says it was retried");
        assertFalse(second.connection().reused(), "the retry went on a fresh connection");
      }
      assertEquals(2, connections.get(), "connections");
      assertEquals(3, requests.get(), "requests the server read");
    }
  }

  @Test
  void plainHttpFreshThenReused() throws Exception {
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(null);
        StreamingClient c = new StreamingClient(Target.parse(server.url()), NioSocketChannel::new, null, 2000, null)) {
      ExchangeResult fresh = send(c, "plain-1");
      assertEquals(Status.OK, fresh.status(), fresh.error());
      assertFalse(fresh.connection().reused());
      assertTrue(fresh.connection().connectNanos() > 0, "TCP connect measured");
      assertEquals(0, fresh.connection().tlsNanos(), "no TLS on plain HTTP");
      assertTrue(fresh.sentNanos() - fresh.startNanos() >= fresh.connection().connectNanos(), "written after connect");

      ExchangeResult reused = send(c, "plain-2");
      assertEquals(Status.OK, reused.status(), reused.error());
      assertTrue(reused.connection().reused());
      assertEquals(0, reused.connection().connectNanos());
      assertEquals(0, reused.connection().tlsNanos());
    }
  }

  @Test
  void tlsHandshakeIsConnectionSetupNotLatency(@TempDir Path dir) throws Exception {
    SslContext insecure = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    try (SyntheticOpenAiServer server = new SyntheticOpenAiServer(TlsTest.sslContext(TlsTest.keyStore(dir)));
        StreamingClient c = new StreamingClient(Target.parse(server.url()), NioSocketChannel::new, insecure, 5000, null)) {
      ExchangeResult fresh = send(c, "tls-1");
      assertEquals(Status.OK, fresh.status(), fresh.error());
      var conn = fresh.connection();
      assertFalse(conn.reused());
      assertTrue(conn.connectNanos() > 0 && conn.tlsNanos() > 0, "connect and handshake measured: " + conn);
      assertTrue(fresh.sentNanos() - fresh.startNanos() >= conn.connectNanos() + conn.tlsNanos(),
          "the request is written after the handshake, so TTFB excludes it");

      ExchangeResult reused = send(c, "tls-2");
      assertEquals(Status.OK, reused.status(), reused.error());
      assertTrue(reused.connection().reused());
      assertEquals(0, reused.connection().tlsNanos(), "no handshake on a reused connection");
    }
  }

  /** Answers the first request on each connection with keep-alive, then closes at the next one. */
  private static void serveOncePerConnection(ServerSocket server, AtomicInteger connections, AtomicInteger requests) {
    serveOncePerConnection(server, connections, requests, false);
  }

  /** As above; with {@code reset}, the second request is answered with a TCP reset (RST). */
  private static void serveOncePerConnection(
      ServerSocket server, AtomicInteger connections, AtomicInteger requests, boolean reset) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        connections.incrementAndGet();
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        if (!readRequest(in)) continue;
        requests.incrementAndGet();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: keep-alive\r\nContent-Length: "
                    + SSE.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(SSE);
        out.flush();
        if (readRequest(in)) requests.incrementAndGet();
        if (reset) s.setSoLinger(true, 0); // close() then sends RST instead of FIN
        // closing here, without an answer: the server dropped the idle connection
      } catch (IOException e) {
        // the server socket closed at the end of the test, or the client went away
      }
    }
  }

  /** Reads one request (headers and a Content-Length body); false at end of stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
    }
    if (b == -1) return false;
    String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
    int i = headers.indexOf("content-length:");
    int len = i < 0 ? 0 : Integer.parseInt(headers.substring(i + 15, headers.indexOf('\r', i)).trim());
    return in.readNBytes(len).length == len;
  }

  private StreamingClient client(int port) {
    return new StreamingClient(Target.parse("http://127.0.0.1:" + port), NioSocketChannel::new, null, 2000, null);
  }

  private ExchangeResult send(StreamingClient c, String id) throws Exception {
    EventLoop loop = group.next();
    StreamRequest req =
        new StreamRequest(
            id,
            CODEC.path(),
            CODEC.body(RequestSpec.of("m", "hello", 4)),
            List.of(),
            CODEC.newParser(),
            new StreamState(false),
            TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(5));
    CompletableFuture<ExchangeResult> f = new CompletableFuture<>();
    c.execute(loop, req, f::complete);
    return f.get(10, TimeUnit.SECONDS);
  }
}
