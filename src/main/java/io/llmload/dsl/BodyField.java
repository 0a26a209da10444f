package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One {@code body(field, value)} call: a value known when the simulation is built, or one computed
 * from the session for each request.
 */
record BodyField(String name, @Nullable Object value, @Nullable Function<Session, ?> fromSession) {

  BodyField {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("body: the field name is empty; give a top-level field name");
    }
  }

  static BodyField fixed(String name, @Nullable Object value) {
    return new BodyField(name, value, null);
  }

  /** An Expression Language string: its own value when it holds no expression. */
  static BodyField expression(String name, String el) {
    return SessionValues.isExpression(el) ? new BodyField(name, null, SessionValues.any(el)) : fixed(name, el);
  }

  static BodyField computed(String name, Function<Session, ?> f) {
    return new BodyField(name, null, f);
  }

  boolean isFixed() {
    return fromSession == null;
  }

  @Nullable
  Object valueFor(Session s) {
    return fromSession == null ? value : fromSession.apply(s);
  }
}
