package io.llmload.wire;

import org.jspecify.annotations.Nullable;

/**
 * A body field the suite writes and a user body may not change: either one the suite needs to
 * measure (a user body may repeat its value, never change or remove it), or one set by a builder
 * method, which the record reports (a user body may not set it at all).
 *
 * @param path the field's dotted path, e.g. {@code stream_options.include_usage}
 * @param value the value the suite needs, or null for a field a builder method sets
 * @param reason for a needed value, why; for a builder's field, the builder method
 */
public record ReservedField(String path, @Nullable Object value, String reason) {

  /** A field whose value the measurement needs. */
  static ReservedField needs(String path, Object value, String why) {
    return new ReservedField(path, value, why);
  }

  /** A field set by a builder method. */
  static ReservedField setBy(String path, String builder) {
    return new ReservedField(path, null, builder);
  }

  /** The one-line refusal of a user body that sets this field otherwise. */
  String refusal() {
    return "body: " + rule();
  }

  /** The one-line refusal of a user body that replaces {@code parent} by something not an object. */
  String refusalOfParent(String parent) {
    return "body: '" + parent + "' must stay an object, since " + rule();
  }

  private String rule() {
    return value == null
        ? "'" + path + "' is set by " + reason + "; use that instead of body()"
        : "'" + path + "' must stay " + value + ": " + reason;
  }
}
