package io.llmload.emulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An embedded LLM inference server on loopback: real HTTP/1.1, the wire formats of OpenAI, vLLM,
 * Ollama, TGI and llama.cpp, and a continuous-batching timing model (see {@link Scheduler}). It
 * records the ground truth of every request so that a client's measurements can be checked.
 *
 * <pre>{@code
 * try (Emulator e = Emulator.start(EmulatorConfig.defaults().profile("h100-llamacpp-8b"))) {
 *   String url = e.baseUrl() + "/v1/chat/completions";
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
  private final ServerState state;
  private final EventLoopGroup group;
  private final Channel channel;
  private final int port;

  private Emulator(ServerState state, EventLoopGroup group, Channel channel) {
    this.state = state;
    this.group = group;
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Binds and starts an emulator.
   *
   * @throws IllegalArgumentException for a bad configuration, with a one-line message
   * @throws IllegalStateException if the port cannot be bound
   */
  public static Emulator start(EmulatorConfig cfg) {
    warmUp();
    ServerState state = new ServerState(cfg);
    // Two event loops at most: the emulator shares a small machine with the load generator.
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("emulator-io", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      ServerBootstrap b = new ServerBootstrap()
          .group(group)
          .channel(channelType)
          .option(ChannelOption.SO_BACKLOG, 4096)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline()
                  .addLast(new HttpServerCodec())
                  .addLast(new HttpObjectAggregator(16 << 20))
                  .addLast(new RequestHandler(state));
            }
          });
      Channel ch = b.bind(cfg.host(), cfg.port()).sync().channel();
      state.scheduler.start();
      return new Emulator(state, group, ch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      state.close();
      throw new IllegalStateException("emulator: interrupted while binding", e);
    } catch (Exception e) {
      // bind failures arrive as Netty's native IOException, thrown without being declared
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      state.close();
      throw new IllegalStateException("emulator: cannot bind " + cfg.host() + ":" + cfg.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads and initialises what the first request would otherwise pay for between its receipt and
   * its admission (token tables, the 4 MiB fault payload, JSON), so that the first request's ground
   * truth is not inflated by class loading.
   */
  private static void warmUp() {
    TokenText.seeded(1, "warm", 0).json(0);
    TokenText.exact("warm up").json(0);
    if (HugeChunk.TEXT.length == 0 || IsoClock.nowBytes().length == 0) {
      throw new IllegalStateException("emulator: static tables missing");
    }
    try {
      WireFormat.JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1}");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  /** e.g. {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String baseUrl() {
    String h = state.config.host();
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  public EmulatorConfig config() {
    return state.config;
  }

  /** The resolved parameters in use. */
  public ModelParams params() {
    return state.params;
  }

  /** Ground truth of a request by its {@code x-request-id}, or null if unknown. */
  public @Nullable GroundTruth groundTruth(String requestId) {
    return state.groundTruth(requestId);
  }

  /** Ground truth of every request still held (the most recent 200,000). */
  public Collection<GroundTruth> groundTruths() {
    return state.groundTruths();
  }

  /** Stops accepting, closes all connections and the scheduler. */
  @Override
  public void close() {
    try {
      channel.close().syncUninterruptibly();
    } finally {
      state.scheduler.stop();
      group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).syncUninterruptibly();
      state.close();
    }
  }
}
