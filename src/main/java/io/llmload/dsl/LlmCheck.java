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
 * message in Gatling's style, e.g. {@code ttft.lt(500.0), but actually found 612.3}. Immutable.
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

  @SafeVarargs
  public final @NonNull LlmCheck<T> in(@NonNull T... expected) {
    List<T> allowed = Arrays.asList(expected);
    return validate("in(" + allowed + ")", allowed::contains);
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

  /** The failure message, or null when the check passes. */
  @Nullable
  String failure(LlmResult result) {
    T v = extractor.apply(result);
    if (validator == null) {
      return v == null ? name + ".exists, but found nothing" : null;
    }
    if (v == null && !"exists".equals(expectation)) {
      return name + "." + expectation + ", but found nothing";
    }
    boolean ok;
    try {
      ok = validator.test(v);
    } catch (RuntimeException e) {
      return name + "." + expectation + ", but it could not be evaluated: " + e.getMessage();
    }
    return ok ? null : name + "." + expectation + ", but actually found " + show(v);
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

  private static String show(Object v) {
    if (v instanceof Double d) return String.format(Locale.ROOT, "%.1f", d);
    if (v instanceof String s) return s.length() > 80 ? "'" + s.substring(0, 77) + "...'" : "'" + s + "'";
    return String.valueOf(v);
  }
}
