package io.llmload.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/** Routes a connection's events to the exchange currently using it. */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "llm-exchange";

  private Exchange current;

  void attach(Exchange exchange) {
    current = exchange;
  }

  void detach(Exchange exchange) {
    if (current == exchange) {
      current = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    try {
      Exchange ex = current;
      if (ex == null) {
        return; // bytes after the exchange ended: nothing to attribute them to
      }
      if (msg instanceof HttpResponse r) {
        ex.onHeaders(r, now);
      }
      if (msg instanceof HttpContent c) {
        ex.onContent(c.content(), now);
        if (msg instanceof LastHttpContent) {
          ex.onLast(System.nanoTime());
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange ex = current;
    if (ex != null) {
      ex.onClosed(System.nanoTime());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange ex = current;
    if (ex != null) {
      ex.onError(cause, System.nanoTime());
    }
    ctx.close();
  }
}
