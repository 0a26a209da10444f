package io.llmload.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import org.jspecify.annotations.Nullable;

/**
 * How one response's body chunks leave: written to the channel, or through the trickle when that
 * fault is on; and when the writes of its first chunk, first token and last token completed (the
 * ground truth's write instants, set on the event loop, read by any thread).
 */
final class BodyWriter {
  private final ChannelHandlerContext ctx;
  final @Nullable Trickle trickle;
  volatile long firstChunkWritten = Exchange.UNSET;
  volatile long firstTokenWritten = Exchange.UNSET;
  volatile long lastTokenWritten = Exchange.UNSET;

  final ChannelFutureListener onFirstChunk = f -> firstChunkWritten = System.nanoTime();
  final ChannelFutureListener onFirstToken = f -> {
    long now = System.nanoTime();
    firstTokenWritten = now;
    lastTokenWritten = now;
  };
  final ChannelFutureListener onFirstChunkAndToken = f -> {
    long now = System.nanoTime();
    firstChunkWritten = now;
    firstTokenWritten = now;
    lastTokenWritten = now;
  };
  final ChannelFutureListener onLastToken = f -> lastTokenWritten = System.nanoTime();

  BodyWriter(ChannelHandlerContext ctx, @Nullable Trickle trickle) {
    this.ctx = ctx;
    this.trickle = trickle;
  }

  /** Writes a body chunk (through the trickle when that fault is on); the listener sees its completion. */
  void send(ByteBuf b, @Nullable ChannelFutureListener l) {
    if (trickle == null) {
      if (l == null) {
        ctx.write(new DefaultHttpContent(b), ctx.voidPromise());
      } else {
        ctx.write(new DefaultHttpContent(b)).addListener(l);
      }
      return;
    }
    // Trickled bytes leave one at a time; their instants are when the chunk joined the trickle.
    if (l != null) {
      try {
        l.operationComplete(ctx.newSucceededFuture());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    trickle.add(b);
  }

  /** A whole answer left in one write: its first chunk, first and last token all at {@code now}. */
  void allWritten(long now) {
    firstChunkWritten = now;
    firstTokenWritten = now;
    lastTokenWritten = now;
  }
}
