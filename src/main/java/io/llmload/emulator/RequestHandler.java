package io.llmload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Routes one connection's requests: GET endpoints answer at once; generation requests are parsed,
 * checked, given their faults, and handed to the scheduler. Request bodies and headers are
 * untrusted: bad values get a 400 naming the field and what is allowed.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final OpenAiChatWire CHAT = new OpenAiChatWire();
  private static final OpenAiCompletionsWire COMPLETIONS = new OpenAiCompletionsWire();
  private static final OllamaWire OLLAMA_GENERATE = new OllamaWire(false);
  private static final OllamaWire OLLAMA_CHAT = new OllamaWire(true);
  private static final TgiWire TGI = new TgiWire();
  private static final LlamaCppWire LLAMACPP = new LlamaCppWire();
  private static final ResponsesWire RESPONSES = new ResponsesWire();
  private static final AnthropicWire ANTHROPIC = new AnthropicWire();

  private final ServerState server;
  private @Nullable Exchange current;

  RequestHandler(ServerState server) {
    this.server = server;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Exchange x = current;
    if (x != null) {
      x.abandon();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A client that resets its connection is normal under load testing; anything else is a bug.
    if (!(cause instanceof java.io.IOException)) {
      System.err.println("emulator: request handling failed: " + cause);
      cause.printStackTrace();
    }
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    long receivedNanos = System.nanoTime();
    long receivedEpochMicros = epochMicros();
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.method().equals(HttpMethod.GET)) {
      InfoEndpoints.Response r = InfoEndpoints.get(server, path);
      if (r == null) {
        plain(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "application/json",
            "{\"error\":{\"message\":\"no such endpoint\",\"type\":\"not_found\",\"code\":404}}", null);
      } else {
        plain(ctx, keepAlive, HttpResponseStatus.OK, r.contentType(), r.body(), null);
      }
      return;
    }
    if (PoolingEndpoints.handles(path) && req.method().equals(HttpMethod.POST)) {
      pooling(ctx, req, path, keepAlive);
      return;
    }
    WireFormat wire = switch (path) {
      case "/v1/chat/completions" -> CHAT;
      case "/v1/completions" -> COMPLETIONS;
      case "/api/generate" -> OLLAMA_GENERATE;
      case "/api/chat" -> OLLAMA_CHAT;
      case "/generate_stream", "/generate" -> TGI;
      case "/completion" -> LLAMACPP;
      case "/v1/responses" -> RESPONSES;
      case "/v1/messages" -> ANTHROPIC;
      default -> null;
    };
    if (wire == null || !req.method().equals(HttpMethod.POST)) {
      plain(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "application/json",
          "{\"error\":{\"message\":\"no such endpoint\",\"type\":\"not_found\",\"code\":404}}", null);
      return;
    }
    String requestId = requestId(req.headers());
    ParsedRequest spec;
    try {
      spec = RequestReader.read(server, wire, req, requestId, keepAlive);
    } catch (IllegalArgumentException e) {
      plain(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "application/json",
          wire.errorBody(400, e.getMessage(), "invalid_request_error").toString(), requestId);
      return;
    }
    Exchange x = new Exchange(server, ctx, wire, spec, receivedNanos, receivedEpochMicros);
    server.track(x);
    current = x;
    Fault f = spec.fault();
    if (f == Fault.RESET_BEFORE_HEADERS) {
      x.abandon();
      server.reset(ctx);
      return;
    }
    if (f == Fault.HTTP_429 || f == Fault.HTTP_500 || f == Fault.HTTP_503) {
      int code = f == Fault.HTTP_429 ? 429 : f == Fault.HTTP_500 ? 500 : 503;
      refuse(ctx, x, code, "emulated " + code + " fault", f == Fault.HTTP_500 ? "server_error" : "overloaded");
      return;
    }
    if (f == Fault.STALL) {
      x.startStream(false);
      return;
    }
    if (!server.scheduler.offer(x)) {
      server.refused.increment();
      refuse(ctx, x, server.params.queueFullStatus(), "the emulated server's queue is full", "overloaded");
      return;
    }
    if (x.stream) {
      x.startStream(true);
    }
  }

  /** Embeddings and rerank: answered whole after their batch's forward pass. */
  private void pooling(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
    String requestId = requestId(req.headers());
    String fault = req.headers().get(RequestReader.HEADER_PREFIX + "fault");
    PoolingEndpoints.Answer a;
    try {
      if (fault != null && fault.startsWith("http-")) {
        int code = Integer.parseInt(fault.substring(5));
        plain(ctx, keepAlive, HttpResponseStatus.valueOf(code), "application/json",
            CHAT.errorBody(code, "emulated " + code + " fault", "overloaded").toString(), requestId);
        return;
      }
      JsonNode body = parse(req);
      a = PoolingEndpoints.answer(path, body, PoolingEndpoints.model(body, server.config.model()), server.nextId("rerank-emu"));
    } catch (IllegalArgumentException e) {
      plain(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "application/json",
          CHAT.errorBody(400, e.getMessage(), "invalid_request_error").toString(), requestId);
      return;
    }
    server.promptTokens.add(a.tokens());
    server.pooling.offer(new PoolingBatcher.Job(ctx, a.tokens(),
        () -> plain(ctx, keepAlive, HttpResponseStatus.OK, "application/json", a.body(), requestId)));
  }

  private void refuse(ChannelHandlerContext ctx, Exchange x, int code, String message, String type) {
    x.status = code;
    String body = x.wire.errorBody(code, message, type).toString();
    plain(ctx, x.keepAlive, HttpResponseStatus.valueOf(code), "application/json", body, x.requestId)
        .addListener(f -> x.abandon());
  }

  private static io.netty.channel.ChannelFuture plain(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
      String contentType, String body, @Nullable String requestId) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
    HttpHeaders h = resp.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, b.length).set(HttpHeaderNames.SERVER, Exchange.SERVER);
    if (requestId != null) {
      h.set("x-request-id", requestId);
    }
    if (status.code() == 429 || status.code() == 503) {
      h.set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    io.netty.channel.ChannelFuture cf = ctx.writeAndFlush(resp);
    if (!keepAlive) {
      cf.addListener(ChannelFutureListener.CLOSE);
    }
    return cf;
  }

  private String requestId(HttpHeaders h) {
    String id = h.get("x-request-id");
    if (id == null || id.isBlank()) {
      return server.nextId("emu-");
    }
    // echoed back as a header and written to ground truth: keep it short and printable
    id = id.trim();
    if (id.length() > 200) {
      id = id.substring(0, 200);
    }
    return id.replaceAll("[^\\x21-\\x7e]", "_");
  }

  static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  static JsonNode parse(FullHttpRequest req) {
    try {
      byte[] b = new byte[req.content().readableBytes()];
      req.content().getBytes(req.content().readerIndex(), b);
      JsonNode n = WireFormat.JSON.readTree(b);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("body: expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException("body: not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static ObjectNode object() {
    return WireFormat.JSON.createObjectNode();
  }
}
