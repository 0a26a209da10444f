package io.llmload.dsl;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Gatling Expression Language strings as functions of the session, one home for the builders. */
final class SessionValues {
  private SessionValues() {}

  /** True when {@code s} holds an expression; a plain string is its own value. */
  static boolean isExpression(String s) {
    return s.contains("#{");
  }

  static Function<Session, String> string(String el) {
    return Expressions.expressionToJavaFunction(Expressions.toStringExpression(el));
  }

  static Function<Session, Integer> integer(String el) {
    Function<Session, Object> f = Expressions.expressionToJavaFunction(Expressions.toIntExpression(el));
    return s -> ((Number) f.apply(s)).intValue();
  }

  /** The attribute itself for {@code "#{name}"} (a number stays a number), else the text. */
  static Function<Session, Object> any(String el) {
    return Expressions.expressionToJavaFunction(Expressions.toAnyExpression(el));
  }

  /** A conversation from the session: a list of role/content maps, or null. */
  static Function<Session, List<Map<String, Object>>> messages(String el) {
    Function<Session, Object> f = any(el);
    return s -> {
      Object v = f.apply(s);
      if (v == null || v instanceof List<?>) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> l = (List<Map<String, Object>>) v;
        return l;
      }
      throw new IllegalArgumentException(
          "messages: '" + el + "' gave a " + v.getClass().getSimpleName() + ", expected a list of {role, content} maps");
    };
  }
}
