package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import io.llmload.wire.BodyMerge;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one request sends for one session: the protocol's settings, then the request's, each value
 * static or from the session. Bodies merge at every depth ({@link BodyMerge}): the protocol's body,
 * then the request's, then both into the codec's own fields.
 */
final class RequestAssembly {
  private RequestAssembly() {}

  /**
   * The request for one session.
   *
   * @throws IllegalArgumentException one line, when a body value from the session would change a
   *     field the codec reserves (so the request fails where it is built, with that line)
   */
  static RequestSpec spec(LlmRequest request, LlmConfig config, Session s) {
    String model = request.model() != null ? request.model().apply(s) : config.model();
    Map<String, Object> body = body(config.body(), request.body(), s);
    if (!body.isEmpty()) config.codec().checkExtraBody(body);
    return new RequestSpec(
        model,
        request.prompt().apply(s),
        request.messages() == null ? null : request.messages().apply(s),
        request.maxTokens() == null ? null : request.maxTokens().apply(s),
        request.minTokens() == null ? null : request.minTokens().apply(s),
        request.ignoreEos(),
        body);
  }

  static List<Map.Entry<String, String>> headers(LlmRequest request, LlmConfig config, Session s) {
    List<Map.Entry<String, String>> out = new ArrayList<>(config.headers().size() + request.headers().size());
    for (var h : config.headers()) out.add(Map.entry(h.getKey(), h.getValue().apply(s)));
    for (var h : request.headers()) out.add(Map.entry(h.getKey(), h.getValue().apply(s)));
    // the protocol's own headers (anthropic-version), unless the user set one of that name
    for (var h : StreamCodec.of(config.protocol()).headers()) {
      if (out.stream().noneMatch(e -> e.getKey().equalsIgnoreCase(h.getKey()))) out.add(h);
    }
    return out;
  }

  /**
   * Refuses, before any load, a static body that the protocol's codec would refuse on every
   * request (a reserved field changed); values from the session are checked per request.
   *
   * @throws IllegalArgumentException one line naming the field and why
   */
  static void checkBeforeLoad(LlmRequest request, LlmConfig config) {
    Map<String, Object> fixed = Map.of();
    for (List<BodyField> fields : List.of(config.body(), request.body())) {
      for (BodyField f : fields) {
        if (f.isFixed()) fixed = BodyMerge.merge(fixed, f.name(), f.value());
      }
    }
    try {
      config.codec().checkExtraBody(fixed);
    } catch (IllegalArgumentException e) {
      throw new Refused(e.getMessage());
    }
  }

  /** A refusal before load: its one line says it all, so Gatling prints no stack trace with it. */
  static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static Map<String, Object> body(List<BodyField> protocol, List<BodyField> request, Session s) {
    if (protocol.isEmpty() && request.isEmpty()) return Map.of();
    Map<String, Object> b = Map.of();
    for (BodyField f : protocol) b = BodyMerge.merge(b, f.name(), f.valueFor(s));
    for (BodyField f : request) b = BodyMerge.merge(b, f.name(), f.valueFor(s));
    return b;
  }

  /** A header, its value from the session. */
  static Map.Entry<String, Function<Session, String>> header(String name, Function<Session, String> value) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("header: the name is empty; give a header name");
    }
    return Map.entry(name, value);
  }

  /** A header value: an Expression Language string, evaluated only when it holds an expression. */
  static Function<Session, String> headerValue(String el) {
    return SessionValues.isExpression(el) ? SessionValues.string(el) : s -> el;
  }
}
