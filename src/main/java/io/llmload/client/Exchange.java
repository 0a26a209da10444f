package io.llmload.client;

import io.llmload.wire.StreamState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One request on one connection, from write to the end of the streamed body. Loop-confined. */
final class Exchange {
  private static final int ERROR_BODY_LIMIT = 2048;

  private final StreamingClient client;
  private final EventLoop loop;
  private final StreamRequest request;
  private final Consumer<ExchangeResult> done;
  private final long startNanos;
  private final long deadlineNanos;
  private final boolean retried;

  private Channel channel;
  private ExchangeHandler handler;
  private boolean reused;
  private long connectNanos;
  private long tlsNanos;
  private long sentNanos;
  private long headersNanos;
  private long lastReadNanos;
  private int httpStatus;
  private boolean keepAlive;
  private boolean sawBytes;
  private byte[] scratch = new byte[8192];
  private StringBuilder errorBody;
  private String plainContentType;
  private ScheduledFuture<?> timer;
  private boolean finished;

  Exchange(
      StreamingClient client,
      EventLoop loop,
      StreamRequest request,
      Consumer<ExchangeResult> done,
      long startNanos,
      boolean retried) {
    this.client = client;
    this.loop = loop;
    this.request = request;
    this.done = done;
    this.startNanos = startNanos;
    this.deadlineNanos = startNanos + request.timeoutNanos();
    this.retried = retried;
  }

  /** Writes the request on a pooled connection. */
  void startReused(Channel ch) {
    reused = true;
    start(ch);
  }

  /**
   * Writes the request on a connection just set up: {@code connectNanos} of TCP connect and
   * {@code tlsNanos} of TLS handshake (0 for plain HTTP), both before the request is sent, so
   * neither is in TTFB, TTFT or E2E, nor in queue delay.
   */
  void startFresh(Channel ch, long connectNanos, long tlsNanos) {
    this.connectNanos = connectNanos;
    this.tlsNanos = tlsNanos;
    start(ch);
  }

  private void start(Channel ch) {
    channel = ch;
    handler = (ExchangeHandler) ch.pipeline().get(ExchangeHandler.NAME);
    handler.attach(this);
    lastReadNanos = System.nanoTime();
    armTimer(Math.min(deadlineNanos, lastReadNanos + request.idleTimeoutNanos()));
    var req = client.newRequest(request);
    // Stamped before the write: the server cannot start before this instant, so latencies are
    // never shorter than the server's own (a stamp after the write could be late if this thread
    // is descheduled between the syscall and the clock read).
    sentNanos = System.nanoTime();
    ch.writeAndFlush(req)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(Status.CONNECTION_ERROR, "write failed: " + FailureText.describe(f.cause()), System.nanoTime());
              }
            });
  }

  /** The TLS handshake on a new connection failed: the request was never sent. */
  void tlsFailed(Channel ch, long connectNanos, Throwable cause) {
    this.connectNanos = connectNanos;
    ch.close();
    Throwable root = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException ? cause.getCause() : cause;
    finish(Status.CONNECT_ERROR, "TLS handshake with " + client.target().authority() + " failed: "
        + FailureText.describe(root), System.nanoTime());
  }

  void connectFailed(Throwable cause) {
    Status s = Status.CONNECT_ERROR;
    String msg = "cannot connect to " + client.target().authority() + ": " + FailureText.describe(cause);
    if (cause instanceof ConnectException || cause.getCause() instanceof ConnectException) {
      msg = "connection refused by " + client.target().authority();
    }
    finish(s, msg, System.nanoTime());
  }

  void onHeaders(HttpResponse r, long now) {
    if (finished) return;
    headersNanos = now;
    lastReadNanos = now;
    sawBytes = true;
    httpStatus = r.status().code();
    keepAlive = HttpUtil.isKeepAlive(r);
    if (httpStatus != 200) {
      errorBody = new StringBuilder();
    } else {
      ServerTimingHeaders.read(r.headers(), request.state());
      String ct = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
      // A server that ignores "stream": one whole JSON body. Still parsed (it may carry an error),
      // but never a success: it has no per-token timing to measure.
      if (ct != null && ct.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        plainContentType = ct.trim();
      }
    }
  }

  void onContent(ByteBuf content, long now) {
    if (finished) return;
    int n = content.readableBytes();
    lastReadNanos = now;
    if (n == 0) return;
    if (errorBody != null) {
      if (errorBody.length() < ERROR_BODY_LIMIT) {
        int take = Math.min(n, ERROR_BODY_LIMIT - errorBody.length());
        errorBody.append(content.toString(content.readerIndex(), take, StandardCharsets.UTF_8));
      }
      return;
    }
    StreamState st = request.state();
    st.firstByte(now);
    if (content.hasArray()) {
      request.parser().feed(content.array(), content.arrayOffset() + content.readerIndex(), n, now, st);
    } else {
      if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
      content.getBytes(content.readerIndex(), scratch, 0, n);
      request.parser().feed(scratch, 0, n, now, st);
    }
  }

  void onLast(long now) {
    if (finished) return;
    if (errorBody != null) {
      finish(Status.HTTP_ERROR, httpError(), now);
      return;
    }
    request.parser().end(now, request.state());
    finish(streamStatus(), streamError(), now);
  }

  void onClosed(long now) {
    if (finished) return;
    if (!sawBytes) {
      if (retryable()) {
        // A kept-alive connection the server had already closed: the request never reached it.
        retry();
        return;
      }
      finish(Status.CONNECTION_ERROR, "connection closed before response headers", now);
      return;
    }
    if (errorBody != null) {
      finish(Status.HTTP_ERROR, httpError(), now);
      return;
    }
    request.parser().end(now, request.state());
    Status s = streamStatus();
    if (s == Status.TRUNCATED) {
      finish(s, "connection closed mid-stream, before the final event", now);
    } else {
      finish(s, streamError(), now);
    }
  }

  void onError(Throwable cause, long now) {
    if (finished) return;
    if (!sawBytes) {
      if (retryable()) {
        // A pooled connection reset under the request before any answer (the server was closing
        // it): as browsers and Gatling's client do, once more on a fresh connection.
        keepAlive = false;
        if (channel != null) channel.close();
        retry();
        return;
      }
      fail(Status.CONNECTION_ERROR, "connection error before response headers: " + FailureText.describe(cause), now);
    } else {
      request.parser().end(now, request.state());
      fail(Status.TRUNCATED, "connection error mid-stream: " + FailureText.describe(cause), now);
    }
  }

  /** Only a pooled connection, only before any response byte, only once. */
  private boolean retryable() {
    return reused && !sawBytes && !retried;
  }

  private void retry() {
    detachAndCancel();
    finished = true;
    client.retryOnFreshConnection(loop, request, done, startNanos);
  }

  private void onTimer() {
    if (finished) return;
    long now = System.nanoTime();
    if (now >= deadlineNanos) {
      fail(Status.TIMEOUT, "no complete response within " + FailureText.millis(request.timeoutNanos()), now);
    } else if (now - lastReadNanos >= request.idleTimeoutNanos()) {
      String what = headersNanos == 0 ? "no response headers" : "no data";
      fail(Status.TIMEOUT, what + " for " + FailureText.millis(request.idleTimeoutNanos()), now);
    } else {
      armTimer(Math.min(deadlineNanos, lastReadNanos + request.idleTimeoutNanos()));
    }
  }

  private void armTimer(long atNanos) {
    long delay = Math.max(0, atNanos - System.nanoTime());
    timer = loop.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
  }

  private Status streamStatus() {
    if (notAStream()) {
      return Status.STREAM_ERROR;
    }
    return switch (request.state().outcome()) {
      case DONE -> Status.OK;
      case STREAM_ERROR, MALFORMED -> Status.STREAM_ERROR;
      case RUNNING -> Status.TRUNCATED;
    };
  }

  /** A whole JSON answer to a streamed request: read, but no success (it has no token timing). */
  private boolean notAStream() {
    return plainContentType != null && !request.parser().wholeBody()
        && request.state().outcome() == StreamState.Outcome.DONE;
  }

  private String streamError() {
    StreamState st = request.state();
    if (notAStream()) {
      return "response is not a stream (Content-Type: " + plainContentType + ")";
    }
    return switch (st.outcome()) {
      case DONE -> null;
      case STREAM_ERROR, MALFORMED -> st.error();
      case RUNNING -> "stream ended without its final event";
    };
  }

  private String httpError() {
    return FailureText.http(httpStatus, errorBody);
  }

  /** Ends the exchange and drops the connection: its state is unknown. */
  private void fail(Status status, String error, long now) {
    if (finished) return;
    keepAlive = false;
    finish(status, error, now);
  }

  private void finish(Status status, String error, long now) {
    if (finished) return;
    finished = true;
    detachAndCancel();
    if (channel != null) {
      if (status == Status.OK && keepAlive) {
        client.release(loop, channel);
      } else if (status == Status.HTTP_ERROR && keepAlive && channel.isActive()) {
        client.release(loop, channel);
      } else {
        channel.close();
      }
    }
    done.accept(
        new ExchangeResult(
            status,
            httpStatus == 0 ? null : httpStatus,
            error == null ? null : FailureText.truncate(error),
            startNanos,
            sentNanos,
            headersNanos,
            now,
            new ExchangeResult.Connection(connectNanos, tlsNanos, reused, retried),
            request.state()));
  }

  private void detachAndCancel() {
    if (timer != null) timer.cancel(false);
    if (handler != null) handler.detach(this);
  }
}
