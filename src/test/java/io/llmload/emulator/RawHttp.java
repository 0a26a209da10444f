package io.llmload.emulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a raw socket, so tests see exactly what the emulator puts on the
 * wire: each chunk of a chunked body with its arrival instant, a missing terminator, a reset.
 */
final class RawHttp implements AutoCloseable {
  record Chunk(long nanos, byte[] data) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  /** What came back. {@code error} is set if reading failed (reset, timeout); {@code complete} if the body ended properly. */
  record Response(int status, Map<String, String> headers, List<Chunk> chunks, boolean complete, String error,
      long sentNanos, long headersNanos) {
    String body() {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (Chunk c : chunks) {
        b.writeBytes(c.data);
      }
      return b.toString(StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** SSE data payloads in order ({@code data:} with or without a space). */
    List<String> sseData() {
      List<String> out = new ArrayList<>();
      for (String event : body().split("\n\n")) {
        for (String line : event.split("\n")) {
          if (line.startsWith("data:")) {
            out.add(line.substring(line.startsWith("data: ") ? 6 : 5));
          }
        }
      }
      return out;
    }

    List<String> lines() {
      List<String> out = new ArrayList<>();
      for (String l : body().split("\n")) {
        if (!l.isEmpty()) {
          out.add(l);
        }
      }
      return out;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  RawHttp(int port) throws IOException {
    this.port = port;
    this.socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(20_000);
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.out = socket.getOutputStream();
  }

  void timeoutMillis(int ms) throws IOException {
    socket.setSoTimeout(ms);
  }

  static Response post(int port, String path, String json, String... headers) throws IOException {
    try (RawHttp h = new RawHttp(port)) {
      return h.send("POST", path, json, headers);
    }
  }

  static Response get(int port, String path) throws IOException {
    try (RawHttp h = new RawHttp(port)) {
      return h.send("GET", path, null);
    }
  }

  /** Sends one request on this connection and reads its response. */
  Response send(String method, String path, String json, String... headers) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    if (json != null) {
      req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    req.append("\r\n");
    byte[] head = req.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    long sent = System.nanoTime();
    out.write(all);
    out.flush();
    return read(sent);
  }

  /** Writes a request without reading its response; returns when it was sent. */
  long write(String method, String path, String json, String... headers) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    all.writeBytes(body);
    long sent = System.nanoTime();
    out.write(all.toByteArray());
    out.flush();
    return sent;
  }

  /** Reads the response of a request sent with {@link #write}. */
  Response read(long sent) {
    int status = -1;
    Map<String, String> headers = new LinkedHashMap<>();
    List<Chunk> chunks = new ArrayList<>();
    long headersAt = 0;
    try {
      String statusLine = line();
      if (statusLine == null) {
        return new Response(-1, headers, chunks, false, "eof before status line", sent, 0);
      }
      status = Integer.parseInt(statusLine.split(" ")[1]);
      String l;
      while ((l = line()) != null && !l.isEmpty()) {
        int c = l.indexOf(':');
        headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
      }
      headersAt = System.nanoTime();
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        while (true) {
          String size = line();
          if (size == null) {
            return new Response(status, headers, chunks, false, null, sent, headersAt);
          }
          int n = Integer.parseInt(size.trim(), 16);
          if (n == 0) {
            line();
            return new Response(status, headers, chunks, true, null, sent, headersAt);
          }
          byte[] data = in.readNBytes(n);
          if (data.length < n) {
            chunks.add(new Chunk(System.nanoTime(), data));
            return new Response(status, headers, chunks, false, null, sent, headersAt);
          }
          chunks.add(new Chunk(System.nanoTime(), data));
          line();
        }
      }
      String cl = headers.get("content-length");
      if (cl != null) {
        byte[] data = in.readNBytes(Integer.parseInt(cl));
        chunks.add(new Chunk(System.nanoTime(), data));
        return new Response(status, headers, chunks, data.length == Integer.parseInt(cl), null, sent, headersAt);
      }
      byte[] rest = in.readAllBytes();
      chunks.add(new Chunk(System.nanoTime(), rest));
      return new Response(status, headers, chunks, true, null, sent, headersAt);
    } catch (SocketTimeoutException e) {
      return new Response(status, headers, chunks, false, "timeout", sent, headersAt);
    } catch (IOException e) {
      return new Response(status, headers, chunks, false, e.getClass().getSimpleName() + ": " + e.getMessage(), sent, headersAt);
    }
  }

  /** True if the server closed the connection (read gives EOF) within the socket timeout. */
  boolean serverClosed() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] x = b.toByteArray();
        int len = x.length > 0 && x[x.length - 1] == '\r' ? x.length - 1 : x.length;
        return new String(x, 0, len, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
