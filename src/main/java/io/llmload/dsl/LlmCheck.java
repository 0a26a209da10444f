package io.llmload.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * A streaming check, evaluated when the stream ends. A failed check makes the request KO with a
 * stable message, e.g. {@code check_failed: ttft.lt(500)}, so that Gatling's error table has one row
 * per check, not one per measured value; the record's {@code error} says what was found ({@code
 * ttft.lt(500), but actually found 612.3}). Immutable.
 *
 * @param <T> the type of the measured value
 */
public final class LlmCheck<T> {
  private final String name;
  private final Function<LlmResult, T> extractor;
  private final @Nullable Predicate<T> validator;
  private final @Nullable String expectation;
  private final @Nullable String saveAs;
  final boolean needsContent;

  LlmCheck(String name, Function<LlmResult, T> extractor, boolean needsContent) {
    this(name, extractor, null, null, null, needsContent);
  }

  private LlmCheck(
      String name,
      Function<LlmResult, T> extractor,
      @Nullable Predicate<T> validator,
      @Nullable String expectation,
      @Nullable String saveAs,
      boolean needsContent) {
    this.name = name;
    this.extractor = extractor;
    this.validator = validator;
    this.expectation = expectation;
    this.saveAs = saveAs;
    this.needsContent = needsContent;
  }

  private LlmCheck<T> validate(String expectation, Predicate<T> p) {
    return new LlmCheck<>(name, extractor, p, expectation, saveAs, needsContent);
  }

  /** Passes when the value is present. */
  public @NonNull LlmCheck<T> exists() {
    return validate("exists", Objects::nonNull);
  }

  public @NonNull LlmCheck<T> is(@NonNull T expected) {
    return validate("is(" + show(expected) + ")", v -> expected.equals(v));
  }

  /** Numeric equality, so that {@code outputTokens().is(256)} and {@code ttft().is(0)} read as meant. */
  public @NonNull LlmCheck<T> is(@NonNull Number expected) {
    return validate("is(" + expected + ")", v -> sameNumber(v, expected));
  }

  public @NonNull LlmCheck<T> not(@NonNull T unexpected) {
    return validate("not(" + show(unexpected) + ")", v -> !unexpected.equals(v));
  }

  public @NonNull LlmCheck<T> not(@NonNull Number unexpected) {
    return validate("not(" + unexpected + ")", v -> !sameNumber(v, unexpected));
  }

  @SafeVarargs
  public final @NonNull LlmCheck<T> in(@NonNull T... expected) {
    List<T> allowed = Arrays.asList(expected);
    return validate("in(" + allowed + ")", allowed::contains);
  }

  /** Numeric membership, so that {@code outputTokens().in(128, 256)} compiles and compares numbers. */
  public @NonNull LlmCheck<T> in(@NonNull Number... expected) {
    List<Number> allowed = Arrays.asList(expected);
    return validate("in(" + allowed + ")", v -> allowed.stream().anyMatch(n -> sameNumber(v, n)));
  }

  public @NonNull LlmCheck<T> lt(@NonNull Number bound) {
    return validate("lt(" + bound + ")", v -> num(v) < bound.doubleValue());
  }

  public @NonNull LlmCheck<T> lte(@NonNull Number bound) {
    return validate("lte(" + bound + ")", v -> num(v) <= bound.doubleValue());
  }

  public @NonNull LlmCheck<T> gt(@NonNull Number bound) {
    return validate("gt(" + bound + ")", v -> num(v) > bound.doubleValue());
  }

  public @NonNull LlmCheck<T> gte(@NonNull Number bound) {
    return validate("gte(" + bound + ")", v -> num(v) >= bound.doubleValue());
  }

  /** Passes when the value satisfies a predicate of yours. */
  public @NonNull LlmCheck<T> satisfies(@NonNull String description, @NonNull Predicate<T> p) {
    return validate(description, p);
  }

  /** Saves the value in the session under {@code key} (when the check passes). */
  public @NonNull LlmCheck<T> saveAs(@NonNull String key) {
    return new LlmCheck<>(name, extractor, validator, expectation, key, needsContent);
  }

  /**
   * A failed check.
   *
   * @param message what failed, the same for every request that fails this way (Gatling's KO
   *     message, one row of its error table)
   * @param detail the message with what was found, for the record
   */
  record Failure(String message, String detail) {
    static Failure of(String message) {
      return new Failure(message, message);
    }
  }

  /** The failure, or null when the check passes. */
  @Nullable
  Failure failure(LlmResult result) {
    T v = extractor.apply(result);
    if (validator == null) {
      return v == null ? Failure.of(name + ".exists, but found nothing") : null;
    }
    String what = name + "." + expectation;
    if (v == null && !"exists".equals(expectation)) {
      return Failure.of(what + ", but found nothing");
    }
    boolean ok;
    try {
      ok = validator.test(v);
    } catch (RuntimeException e) {
      String m = what + ", but it could not be evaluated";
      return new Failure(m, m + ": " + e.getMessage());
    }
    return ok ? null : new Failure(what, what + ", but actually found " + show(v));
  }

  @Nullable
  String saveAsKey() {
    return saveAs;
  }

  @Nullable
  Object value(LlmResult result) {
    return extractor.apply(result);
  }

  private static double num(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    throw new IllegalArgumentException("not a number: " + v);
  }

  /** Integers compare exactly, anything else as doubles. */
  private static boolean sameNumber(Object v, Number expected) {
    if (isIntegral(v) && isIntegral(expected)) return ((Number) v).longValue() == expected.longValue();
    return num(v) == expected.doubleValue();
  }

  private static boolean isIntegral(Object n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static String show(Object v) {
    if (v instanceof Double d) return String.format(Locale.ROOT, "%.1f", d);
    if (v instanceof String s) return s.length() > 80 ? "'" + s.substring(0, 77) + "...'" : "'" + s + "'";
    return String.valueOf(v);
  }
}
