package io.llmload.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 client for streamed responses, on the caller's Netty event loop.
 *
 * <p>Each virtual user runs on one event loop; its connections live on that loop and are pooled
 * per loop, so the hot path takes no lock. Bodies are never aggregated: every read goes straight
 * to the request's parser with the instant it was read.
 */
public final class StreamingClient implements AutoCloseable {

  private final Target target;
  private final ChannelFactory<? extends Channel> channelFactory;
  private final @Nullable SslContext ssl;
  private final int connectTimeoutMillis;
  private final @Nullable ApiKey apiKey;
  private final Map<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param apiKey the key and its header, or null; never logged
   */
  public StreamingClient(
      Target target,
      ChannelFactory<? extends Channel> channelFactory,
      @Nullable SslContext ssl,
      int connectTimeoutMillis,
      @Nullable ApiKey apiKey) {
    this.target = target;
    this.channelFactory = channelFactory;
    this.ssl = ssl;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.apiKey = apiKey;
  }

  public Target target() {
    return target;
  }

  /** Sends the request; {@code done} is called once, on {@code loop}. */
  public void execute(EventLoop loop, StreamRequest request, Consumer<ExchangeResult> done) {
    long start = System.nanoTime();
    if (loop.inEventLoop()) {
      dispatch(loop, request, done, start, true);
    } else {
      loop.execute(() -> dispatch(loop, request, done, start, true));
    }
  }

  private void dispatch(
      EventLoop loop,
      StreamRequest request,
      Consumer<ExchangeResult> done,
      long start,
      boolean mayReuse) {
    Exchange exchange = new Exchange(this, loop, request, done, start, !mayReuse);
    Channel pooled = mayReuse ? pollIdle(loop) : null;
    if (pooled != null) {
      exchange.startReused(pooled);
      return;
    }
    long connectStart = System.nanoTime();
    new Bootstrap()
        .group(loop)
        .channelFactory(channelFactory)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                if (ssl != null) {
                  SSLEngine engine = ssl.newEngine(ch.alloc(), target.host(), target.port());
                  SSLParameters params = engine.getSSLParameters();
                  // Netty does not check the certificate's host name unless asked to.
                  params.setEndpointIdentificationAlgorithm("HTTPS");
                  engine.setSSLParameters(params);
                  ch.pipeline().addLast(new SslHandler(engine));
                }
                ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 65536));
                ch.pipeline().addLast(ExchangeHandler.NAME, new ExchangeHandler());
              }
            })
        .connect(target.host(), target.port())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                exchange.connectFailed(f.cause());
                return;
              }
              long connected = System.nanoTime();
              Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
              SslHandler tls = ch.pipeline().get(SslHandler.class);
              if (tls == null) {
                exchange.startFresh(ch, connected - connectStart, 0);
                return;
              }
              // The request is written once the handshake is done, so that the handshake is
              // connection setup and not part of the request's TTFB, TTFT or E2E.
              tls.handshakeFuture()
                  .addListener(
                      h -> {
                        if (h.isSuccess()) {
                          exchange.startFresh(ch, connected - connectStart, Math.max(1, System.nanoTime() - connected));
                        } else {
                          exchange.tlsFailed(ch, connected - connectStart, h.cause());
                        }
                      });
            });
  }

  /** A pooled connection closed or reset before answering: try once more on a new one. */
  void retryOnFreshConnection(
      EventLoop loop, StreamRequest request, Consumer<ExchangeResult> done, long start) {
    dispatch(loop, request, done, start, false);
  }

  FullHttpRequest newRequest(StreamRequest r) {
    FullHttpRequest req =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            target.requestUri(r.path()),
            Unpooled.wrappedBuffer(r.body()));
    var h = req.headers();
    h.set(HttpHeaderNames.HOST, target.authority());
    h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    h.set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    h.set(HttpHeaderNames.ACCEPT, "text/event-stream, application/x-ndjson, application/json");
    h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    h.set("x-request-id", r.requestId());
    if (apiKey != null) {
      h.set(apiKey.header(), apiKey.headerValue());
    }
    for (Map.Entry<String, String> e : r.headers()) {
      h.set(e.getKey(), e.getValue());
    }
    return req;
  }

  private @Nullable Channel pollIdle(EventLoop loop) {
    ArrayDeque<Channel> q = idle.get(loop);
    if (q == null) {
      return null;
    }
    Channel ch;
    while ((ch = q.pollLast()) != null) {
      if (ch.isActive()) {
        return ch;
      }
    }
    return null;
  }

  void release(EventLoop loop, Channel ch) {
    if (closed || !ch.isActive()) {
      ch.close();
      return;
    }
    idle.computeIfAbsent(loop, l -> new ArrayDeque<>()).addLast(ch);
  }

  @Override
  public void close() {
    closed = true;
    idle.forEach(
        (loop, q) ->
            loop.execute(
                () -> {
                  Channel ch;
                  while ((ch = q.pollFirst()) != null) {
                    ch.close();
                  }
                }));
  }
}
