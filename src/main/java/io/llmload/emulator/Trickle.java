package io.llmload.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * The {@code trickle} fault: a response body leaves one byte per HTTP chunk, {@code micros} apart,
 * then the terminating chunk. Event loop only.
 */
final class Trickle {
  private final ChannelHandlerContext ctx;
  private final long micros;
  private final Runnable onGone;
  private final ChannelFutureListener onEnd;
  private CompositeByteBuf backlog;
  private boolean ticking;
  private boolean endPending;

  Trickle(ChannelHandlerContext ctx, long micros, Runnable onGone, ChannelFutureListener onEnd) {
    this.ctx = ctx;
    this.micros = micros;
    this.onGone = onGone;
    this.onEnd = onEnd;
  }

  /** Queues body bytes behind those not yet sent. */
  void add(ByteBuf b) {
    if (backlog == null) {
      backlog = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
    backlog.addComponent(true, b);
    start();
  }

  /** Ends the response once every queued byte has left. */
  void end() {
    endPending = true;
    start();
  }

  private void start() {
    if (!ticking) {
      ticking = true;
      ctx.executor().execute(this::tick);
    }
  }

  private void tick() {
    if (!ctx.channel().isActive()) {
      if (backlog != null) {
        backlog.release();
        backlog = null;
      }
      ticking = false;
      onGone.run();
      return;
    }
    if (backlog != null && backlog.isReadable()) {
      ctx.writeAndFlush(new DefaultHttpContent(backlog.readRetainedSlice(1)), ctx.voidPromise());
      backlog.discardReadComponents();
      ctx.executor().schedule(this::tick, micros, TimeUnit.MICROSECONDS);
      return;
    }
    ticking = false;
    if (endPending) {
      endPending = false;
      if (backlog != null) {
        backlog.release();
        backlog = null;
      }
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(onEnd);
    }
  }
}
