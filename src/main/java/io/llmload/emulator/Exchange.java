package io.llmload.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request from receipt to the last byte. Three threads touch it, each its own fields: the
 * channel's event loop (request fields, {@code written}, write instants), the scheduler thread
 * ({@code generated}, the emulated instants; published to the event loop by the task hand-off) and
 * readers of ground truth (volatile fields only).
 */
final class Exchange {
  static final String FINGERPRINT = "fp_llm-load-suite-emulator";
  static final String SERVER = "llm-load-suite-emulator";
  static final long UNSET = Long.MIN_VALUE;

  final ServerState server;
  final ChannelHandlerContext ctx;
  final WireFormat wire;
  final String requestId;
  final String responseId;
  final String model;
  final String modelJson;
  final long created;
  final long seed;
  final boolean stream;
  final boolean includeUsage;
  final boolean keepAlive;
  final boolean firstChunkRole;
  final int choices;
  final int promptTokens;
  final int maxTokens;
  /** Tokens per choice this request will get if nothing interrupts it. */
  final int target;
  final int reasoning;
  final String finishReason;
  final TokenText[] texts;
  final @Nullable Fault fault;
  final int faultAfter;
  final @Nullable Integer errorAfter;
  final @Nullable Integer truncateAfter;
  final int trickleMicros;
  final int tokensPerChunk;
  /** Tokens one event carries (speculative decoding, servers that batch output); 1 by default. */
  final int tokensPerEvent;
  final boolean continuousUsage;
  final long receivedNanos;
  final long receivedEpochMicros;
  byte[] prefix;
  /** Events written so far, for wire formats that number them (the Responses API). Event loop. */
  int wireEvents;
  private boolean openingSent;

  // scheduler thread
  int generated;
  long nextNanos;
  long prefillNanos;
  /** The emulated server slot while admitted, when the profile models a prompt cache. */
  int slot = -1;
  volatile long admittedNanos = UNSET;
  volatile long firstTokenNanos = UNSET;
  volatile long lastTokenNanos = UNSET;
  volatile boolean cancelled;

  // event loop
  volatile int written;
  private boolean finished;
  private boolean counted;
  volatile @Nullable Integer status;
  volatile @Nullable String sentFinish;
  volatile long endNanos = UNSET;

  private final ChannelFutureListener onEnd = f -> ended(false);

  /** Where the body chunks go, and when their writes completed. */
  final BodyWriter writes;

  Exchange(ServerState server, ChannelHandlerContext ctx, WireFormat wire, ParsedRequest spec, long receivedNanos, long receivedEpochMicros) {
    this.server = server;
    this.ctx = ctx;
    this.wire = wire;
    this.requestId = spec.requestId();
    this.responseId = spec.responseId();
    this.model = spec.model();
    this.modelJson = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(model));
    this.created = receivedEpochMicros / 1_000_000;
    this.seed = server.config.seed();
    this.fault = spec.fault();
    this.stream = spec.stream() && fault != Fault.NOT_A_STREAM;
    this.includeUsage = spec.includeUsage();
    this.keepAlive = spec.keepAlive() && fault != Fault.CLOSE_AFTER;
    this.firstChunkRole = server.params.firstChunkRole();
    this.choices = spec.choices();
    this.promptTokens = spec.promptTokens();
    this.maxTokens = spec.maxTokens();
    this.texts = new TokenText[choices];
    for (int c = 0; c < choices; c++) {
      texts[c] = spec.content() != null ? TokenText.exact(spec.content()) : TokenText.seeded(seed, spec.promptText(), c);
    }
    int natural = spec.content() != null ? texts[0].fixedLength() : spec.outputTokens() == null ? Integer.MAX_VALUE : spec.outputTokens();
    this.target = Math.min(maxTokens, natural);
    this.finishReason = natural < maxTokens ? "stop" : "length";
    this.reasoning = Math.min(spec.reasoning(), target);
    this.faultAfter = spec.faultAfter();
    this.errorAfter = spec.errorAfter();
    this.truncateAfter = spec.truncateAfter();
    this.trickleMicros = spec.trickleMicros();
    this.tokensPerChunk = spec.tokensPerChunk();
    this.tokensPerEvent = spec.tokensPerEvent();
    this.continuousUsage = spec.continuousUsage();
    this.writes = new BodyWriter(ctx, fault == Fault.TRICKLE ? new Trickle(ctx, trickleMicros, this::abandon, onEnd) : null);
    this.prefillNanos = spec.prefillNanos();
    this.receivedNanos = receivedNanos;
    this.receivedEpochMicros = receivedEpochMicros;
    wire.prepare(this);
  }

  int reasoningWritten() {
    return Math.min(reasoning, written);
  }

  /** Sends status line and headers (and the protocol's opening bytes unless stalling). Event loop. */
  void startStream(boolean opening) {
    HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, wire.streamContentType())
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set("x-accel-buffering", "no");
    commonHeaders(resp);
    status = 200;
    ctx.write(resp);
    ByteBuf b = ctx.alloc().buffer(512);
    if (opening) {
      wire.opening(this, b);
    }
    if (b.isReadable()) {
      openingSent = true;
      writes.send(b, writes.onFirstChunk);
    } else {
      b.release();
    }
    ctx.flush();
  }

  void commonHeaders(HttpResponse resp) {
    resp.headers().set("x-request-id", requestId).set(HttpHeaderNames.SERVER, SERVER);
    if (!keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  /** Writes the next {@code k} tokens of every choice, and the ending if they are the last. Event loop. */
  void emit(int k) {
    if (finished) {
      return;
    }
    if (!ctx.channel().isActive()) {
      abandon();
      return;
    }
    if (!stream) {
      written = Math.min(target, written + k);
      if (written >= target) {
        sendWhole();
      }
      return;
    }
    boolean first = written == 0;
    ByteBuf out = ctx.alloc().buffer(192 * k * choices);
    if (tokensPerEvent > 1 && wire.mergesTokens() && errorAfter == null && truncateAfter == null && fault == null) {
      MergedEvents.write(this, k, out);
      k = 0;
    }
    for (int t = 0; t < k && written < target; t++) {
      int idx = written;
      {
        if (errorAfter != null && idx == errorAfter) {
          wire.error(this, "emulated error after " + idx + " tokens", out);
          writes.send(out, first && !firstChunkRoleSent() ? writes.onFirstChunk : null);
          finishStream(null);
          return;
        }
        if (truncateAfter != null && idx == truncateAfter) {
          cut(out, false);
          return;
        }
        if (fault == Fault.RESET_MID_STREAM && idx == faultAfter) {
          cut(out, true);
          return;
        }
        if (fault == Fault.MALFORMED_CHUNK && idx == faultAfter) {
          wire.malformed(this, out);
        }
        boolean last = idx + 1 == target;
        boolean thinking = idx < reasoning;
        for (int c = 0; c < choices; c++) {
          byte[] piece = fault == Fault.HUGE_CHUNK && idx == faultAfter ? HugeChunk.TEXT : texts[c].json(idx);
          wire.token(this, c, idx, 1, piece, thinking, last, out);
        }
      }
      written++;
    }
    boolean done = written >= target;
    if (done) {
      wire.closing(this, out);
    }
    writes.send(out, !first ? writes.onLastToken
        : firstChunkRoleSent() ? writes.onFirstToken : writes.onFirstChunkAndToken);
    if (done) {
      finishStream(finishReason);
    } else if (writes.trickle == null) {
      ctx.flush();
    }
  }

  private boolean firstChunkRoleSent() {
    return openingSent;
  }

  private void finishStream(@Nullable String reason) {
    finished = true;
    cancelled = true;
    sentFinish = reason;
    if (writes.trickle != null) {
      writes.trickle.end();
      return;
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(onEnd);
  }

  /** Ends the stream without its final event: a clean close, or a reset. */
  private void cut(ByteBuf out, boolean reset) {
    finished = true;
    cancelled = true;
    if (out.isReadable()) {
      ctx.write(new DefaultHttpContent(out)).addListener(writes.onLastToken);
    } else {
      out.release();
    }
    ctx.flush();
    if (reset) {
      // A moment's grace so the client reads the tokens before the RST discards its receive buffer.
      ctx.executor().schedule(() -> server.reset(ctx), 20, TimeUnit.MILLISECONDS);
    } else {
      ctx.close();
    }
  }

  private void sendWhole() {
    finished = true;
    cancelled = true;
    byte[] body = (wire.body(this).toString() + (wire instanceof OllamaWire ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    commonHeaders(resp);
    wire.wholeHeaders(this, resp.headers());
    status = 200;
    sentFinish = finishReason;
    ctx.writeAndFlush(resp).addListener(f -> {
      writes.allWritten(System.nanoTime());
      ended(false);
    });
  }

  /** The client went away, or a fault ended the connection. */
  void abandon() {
    finished = true;
    cancelled = true;
    ended(true);
  }

  private void ended(boolean connectionGone) {
    if (endNanos == UNSET) {
      endNanos = System.nanoTime();
    }
    if (!counted) {
      counted = true;
      server.finished(this);
    }
    if (!connectionGone && !keepAlive) {
      ctx.close();
    }
    if (!connectionGone) {
      server.exchangeDone(ctx, this);
    }
  }

  GroundTruth snapshot() {
    return GroundTruth.of(this);
  }

  @Override
  public String toString() {
    return "Exchange" + Arrays.asList(requestId, wire.protocol(), written, target);
  }

  static void linger0(ChannelHandlerContext ctx) {
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
  }
}
