package io.llmload.report;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the aggregator needs beyond the run folder: the SLO for goodput, the energy price, the
 * reservoir seed. Immutable, so all methods return a new occurrence and leave the original
 * unmodified.
 */
public final class ReportOptions {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h)");
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

  private final @Nullable Duration sloTtft;
  private final @Nullable Duration sloTpot;
  private final @Nullable Duration sloE2e;
  private final double sloFraction;
  private final @Nullable Double energyPricePerKwh;
  private final String currency;
  private final long sampleSeed;
  private final boolean charts;
  private final long segmentBytes;
  private final int parallelism;

  private ReportOptions(
      @Nullable Duration sloTtft,
      @Nullable Duration sloTpot,
      @Nullable Duration sloE2e,
      double sloFraction,
      @Nullable Double energyPricePerKwh,
      String currency,
      long sampleSeed,
      boolean charts,
      long segmentBytes,
      int parallelism) {
    this.sloTtft = sloTtft;
    this.sloTpot = sloTpot;
    this.sloE2e = sloE2e;
    this.sloFraction = sloFraction;
    this.energyPricePerKwh = energyPricePerKwh;
    this.currency = currency;
    this.sampleSeed = sampleSeed;
    this.charts = charts;
    this.segmentBytes = segmentBytes;
    this.parallelism = parallelism;
  }

  /** No SLO, no energy price, reservoir seed 42, PNG charts on. */
  public static ReportOptions defaults() {
    return new ReportOptions(null, null, null, 0.95, null, "EUR", 42L, true, 64L << 20, 0);
  }

  /**
   * Reads {@code slo.ttft}, {@code slo.tpot} (durations such as {@code 500ms}, {@code 2s},
   * {@code 1.5s}, {@code 1m}), {@code slo.fraction} (0..1], {@code energy.price} (per kWh) and
   * {@code energy.currency} (ISO 4217 code) from the system properties.
   *
   * @throws IllegalArgumentException naming the property when a value is malformed
   */
  public static ReportOptions fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  /** As {@link #fromSystemProperties()}, from the given properties. */
  public static ReportOptions fromProperties(Properties p) {
    ReportOptions o = defaults();
    String ttft = blankToNull(p.getProperty("slo.ttft"));
    if (ttft != null) o = o.sloTtft(parseDuration("slo.ttft", ttft));
    String tpot = blankToNull(p.getProperty("slo.tpot"));
    if (tpot != null) o = o.sloTpot(parseDuration("slo.tpot", tpot));
    String e2e = blankToNull(p.getProperty("slo.e2e"));
    if (e2e != null) o = o.sloE2e(parseDuration("slo.e2e", e2e));
    String fraction = blankToNull(p.getProperty("slo.fraction"));
    if (fraction != null) o = o.sloFraction(parseNumber("slo.fraction", fraction));
    String price = blankToNull(p.getProperty("energy.price"));
    if (price != null) o = o.energyPrice(parseNumber("energy.price", price));
    String currency = blankToNull(p.getProperty("energy.currency"));
    if (currency != null) o = o.currency(currency);
    return o;
  }

  /**
   * Parses {@code 250us}, {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 1h}.
   *
   * @param property the name used in the error message
   */
  public static Duration parseDuration(String property, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          property + "=" + text + ": expected a positive duration such as 500ms, 2s, 1.5s or 1m");
    }
    double v = Double.parseDouble(m.group(1));
    double nanosPerUnit =
        switch (m.group(2)) {
          case "us" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
    long nanos = Math.round(v * nanosPerUnit);
    if (nanos <= 0) {
      throw new IllegalArgumentException(
          property + "=" + text + ": expected a positive duration such as 500ms, 2s, 1.5s or 1m");
    }
    return Duration.ofNanos(nanos);
  }

  private static double parseNumber(String property, String text) {
    try {
      double v = Double.parseDouble(text.trim());
      if (Double.isFinite(v)) return v;
    } catch (NumberFormatException e) {
      // reported below with the property name
    }
    throw new IllegalArgumentException(property + "=" + text + ": expected a number such as 0.30");
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Per-request TTFT bound for goodput. */
  public ReportOptions sloTtft(@Nullable Duration d) {
    requirePositive("slo.ttft", d);
    return new ReportOptions(d, sloTpot, sloE2e, sloFraction, energyPricePerKwh, currency, sampleSeed, charts, segmentBytes, parallelism);
  }

  /** Per-request E2E bound for goodput (from the scheduled instant). */
  public ReportOptions sloE2e(@Nullable Duration d) {
    requirePositive("slo.e2e", d);
    return new ReportOptions(sloTtft, sloTpot, d, sloFraction, energyPricePerKwh, currency, sampleSeed, charts, segmentBytes, parallelism);
  }

  /** Per-request TPOT bound for goodput. */
  public ReportOptions sloTpot(@Nullable Duration d) {
    requirePositive("slo.tpot", d);
    return new ReportOptions(sloTtft, d, sloE2e, sloFraction, energyPricePerKwh, currency, sampleSeed, charts, segmentBytes, parallelism);
  }

  /** Share of requests that must meet the SLO for a level to count as meeting it (default 0.95). */
  public ReportOptions sloFraction(double f) {
    if (!(f > 0 && f <= 1)) {
      throw new IllegalArgumentException("slo.fraction=" + f + ": expected a number in (0, 1]");
    }
    return new ReportOptions(sloTtft, sloTpot, sloE2e, f, energyPricePerKwh, currency, sampleSeed, charts, segmentBytes, parallelism);
  }

  /** Energy price per kWh, in {@link #currency()}. */
  public ReportOptions energyPrice(@Nullable Double pricePerKwh) {
    if (pricePerKwh != null && !(pricePerKwh >= 0 && Double.isFinite(pricePerKwh))) {
      throw new IllegalArgumentException(
          "energy.price=" + pricePerKwh + ": expected a non-negative price per kWh such as 0.30");
    }
    return new ReportOptions(sloTtft, sloTpot, sloE2e, sloFraction, pricePerKwh, currency, sampleSeed, charts, segmentBytes, parallelism);
  }

  /** ISO 4217 currency code of the energy price. */
  public ReportOptions currency(String code) {
    if (code == null || !CURRENCY.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "energy.currency=" + code + ": expected a three-letter currency code such as EUR");
    }
    return new ReportOptions(
        sloTtft, sloTpot, sloE2e, sloFraction, energyPricePerKwh, code.toUpperCase(Locale.ROOT), sampleSeed, charts, segmentBytes, parallelism);
  }

  /** Seed of the per-phase reservoir samples written into summary.json. */
  public ReportOptions sampleSeed(long seed) {
    return new ReportOptions(sloTtft, sloTpot, sloE2e, sloFraction, energyPricePerKwh, currency, seed, charts, segmentBytes, parallelism);
  }

  /** Whether to write charts/*.png (the HTML charts are always there). */
  public ReportOptions pngCharts(boolean on) {
    return new ReportOptions(sloTtft, sloTpot, sloE2e, sloFraction, energyPricePerKwh, currency, sampleSeed, on, segmentBytes, parallelism);
  }

  /**
   * Threads that read requests.jsonl: 0 (the default) means one per core for a finished run and
   * one for a run still going on (run.json not complete), so that a snapshot taken during a load
   * test does not take the load generator's CPUs.
   */
  public ReportOptions parallelism(int threads) {
    if (threads < 0) throw new IllegalArgumentException("parallelism=" + threads + ": expected 0 (automatic) or more");
    return new ReportOptions(sloTtft, sloTpot, sloE2e, sloFraction, energyPricePerKwh, currency, sampleSeed, charts,
        segmentBytes, threads);
  }

  public int parallelism() {
    return parallelism;
  }

  /** Bytes of requests.jsonl per part read in parallel (tests use small parts). */
  ReportOptions segmentBytes(long bytes) {
    if (bytes < 1) throw new IllegalArgumentException("segmentBytes=" + bytes + ": expected at least 1");
    return new ReportOptions(sloTtft, sloTpot, sloE2e, sloFraction, energyPricePerKwh, currency, sampleSeed, charts, bytes, parallelism);
  }

  long segmentBytes() {
    return segmentBytes;
  }

  private static void requirePositive(String property, @Nullable Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(property + "=" + d + ": expected a positive duration");
    }
  }

  public @Nullable Duration sloTtft() {
    return sloTtft;
  }

  public @Nullable Duration sloTpot() {
    return sloTpot;
  }

  public @Nullable Duration sloE2e() {
    return sloE2e;
  }

  public boolean hasSlo() {
    return sloTtft != null || sloTpot != null || sloE2e != null;
  }

  public double sloFraction() {
    return sloFraction;
  }

  public @Nullable Double energyPricePerKwh() {
    return energyPricePerKwh;
  }

  public String currency() {
    return currency;
  }

  public long sampleSeed() {
    return sampleSeed;
  }

  public boolean pngCharts() {
    return charts;
  }
}
