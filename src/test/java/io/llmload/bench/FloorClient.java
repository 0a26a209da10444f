package io.llmload.bench;

import io.llmload.record.Epoch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor the suite's client is measured against: the least a JVM can do to hold the same
 * streams. Two threads (as many as the suite's event loops on 2 cores), each with a plain NIO
 * selector over its half of the connections; per read it only scans the bytes for the first
 * {@code "content":"}, counts {@code data: } events and looks for {@code [DONE]}. No HTTP parsing,
 * no JSON, no Gatling, no records beyond one line per request. What this costs per token on a
 * machine is what any JVM client pays there for the kernel, the wake-ups and the reads.
 *
 * <p>Usage: {@code FloorClient port streams tokens durationSeconds rampSeconds out.jsonl}.
 */
public final class FloorClient {
  private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private FloorClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int streams = Integer.parseInt(args[1]);
    int tokens = Integer.parseInt(args[2]);
    double durationS = Double.parseDouble(args[3]);
    double rampS = Double.parseDouble(args[4]);
    Path out = Path.of(args[5]);
    long t0 = System.nanoTime();
    long stop = t0 + (long) (durationS * 1e9);
    int threads = 2;
    List<Loop> loops = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      loops.add(new Loop(port, tokens, stop));
    }
    for (int i = 0; i < streams; i++) {
      loops.get(i % threads).planned.add(t0 + (long) (rampS * 1e9 * i / streams));
    }
    List<Thread> ts = new ArrayList<>();
    for (Loop l : loops) {
      Thread th = new Thread(l, "floor-" + ts.size());
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      for (Loop l : loops) {
        for (String line : l.records) {
          w.write(line);
          w.newLine();
        }
      }
    }
  }

  /** One selector thread and its connections. */
  private static final class Loop implements Runnable {
    final int port;
    final int tokens;
    final long stop;
    final List<Long> planned = new ArrayList<>();
    final List<String> records = new ArrayList<>();
    final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
    final byte[] bytes = new byte[1 << 16];
    int seq;

    Loop(int port, int tokens, long stop) {
      this.port = port;
      this.tokens = tokens;
      this.stop = stop;
    }

    @Override
    public void run() {
      try (Selector sel = Selector.open()) {
        int next = 0;
        int open = 0;
        while (true) {
          long now = System.nanoTime();
          while (next < planned.size() && planned.get(next) <= now) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Conn c = new Conn(ch);
            ch.register(sel, SelectionKey.OP_READ, c);
            send(c);
            next++;
            open++;
          }
          if (open == 0 && next == planned.size()) {
            return;
          }
          long wait = next < planned.size() ? Math.max(1, (planned.get(next) - now) / 1_000_000) : 1000;
          sel.select(wait);
          for (SelectionKey k : sel.selectedKeys()) {
            Conn c = (Conn) k.attachment();
            buf.clear();
            int n = c.ch.read(buf);
            if (n < 0) {
              throw new IOException("server closed a connection");
            }
            long readNanos = System.nanoTime();
            buf.flip();
            buf.get(bytes, 0, n);
            if (c.scan(bytes, n, readNanos)) {
              records.add(c.record());
              if (readNanos < stop) {
                send(c);
              } else {
                c.ch.close();
                open--;
              }
            }
          }
          sel.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    void send(Conn c) throws IOException {
      String id = "floor-" + Thread.currentThread().getName() + "-" + (seq++);
      String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":" + tokens + ",\"stream\":true}";
      byte[] req = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nx-request-id: " + id
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
      c.reset(id);
      ByteBuffer b = ByteBuffer.wrap(req);
      while (b.hasRemaining()) {
        c.ch.write(b);
      }
    }
  }

  /** One connection and the stream on it. */
  private static final class Conn {
    final SocketChannel ch;
    String id = "";
    long sentEpochUs;
    long sentNanos;
    long firstNanos;
    long lastNanos;
    int events;
    int contentMatch;
    int dataMatch;
    int doneMatch;
    boolean awaitingValue;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    void reset(String id) {
      this.id = id;
      sentEpochUs = Epoch.nowUs();
      sentNanos = System.nanoTime();
      firstNanos = 0;
      events = 0;
      contentMatch = dataMatch = doneMatch = 0;
      awaitingValue = false;
    }

    /** Scans one read; true when the stream's [DONE] was seen. */
    boolean scan(byte[] b, int n, long readNanos) {
      boolean done = false;
      for (int i = 0; i < n; i++) {
        byte x = b[i];
        if (awaitingValue) {
          awaitingValue = false;
          if (x != '"' && firstNanos == 0) {
            firstNanos = readNanos;
          }
        }
        contentMatch = x == CONTENT[contentMatch] ? contentMatch + 1 : (x == CONTENT[0] ? 1 : 0);
        if (contentMatch == CONTENT.length) {
          contentMatch = 0;
          awaitingValue = true;
        }
        dataMatch = x == DATA[dataMatch] ? dataMatch + 1 : (x == DATA[0] ? 1 : 0);
        if (dataMatch == DATA.length) {
          dataMatch = 0;
          events++;
          lastNanos = readNanos;
        }
        doneMatch = x == DONE[doneMatch] ? doneMatch + 1 : (x == DONE[0] ? 1 : 0);
        if (doneMatch == DONE.length) {
          doneMatch = 0;
          done = true;
        }
      }
      return done;
    }

    String record() {
      // events: the role chunk, one per token, the final chunk with finish_reason, [DONE]
      return String.format(Locale.ROOT,
          "{\"id\":\"%s\",\"sent_epoch_us\":%d,\"ttft_ms\":%.3f,\"last_token_ms\":%.3f,\"events\":%d}",
          id, sentEpochUs, (firstNanos - sentNanos) / 1e6, (lastNanos - sentNanos) / 1e6, events);
    }
  }
}
