package io.llmload.capacity;

/**
 * One probe as decided: its load, when its warm-up and window ran, what the window measured and
 * what it decided.
 *
 * @param attainmentLow the 90 % Wilson interval of the attainment (share meeting every bound)
 * @param margin the SLO margin that the SLO's fraction of requests stayed under (pass ⟺ at most 1)
 * @param backlogGrowth how much the in-flight count grew through the window (rate search)
 * @param extended the window ran past its nominal length because the verdict was too close to call
 * @param early the verdict came before the nominal window ended
 */
public record Probe(int index, String phase, double load, long startEpochUs, long windowStartEpochUs,
    long endEpochUs, long n, long good, double attainmentLow, double attainmentHigh, double margin,
    double requestsPerS, double goodPerS, double tokensPerS, double backlogGrowth, boolean pass,
    String reason, boolean early, boolean extended) {

  public double attainment() {
    return n == 0 ? Double.NaN : (double) good / n;
  }

  public double warmupSeconds() {
    return (windowStartEpochUs - startEpochUs) / 1e6;
  }

  public double windowSeconds() {
    return (endEpochUs - windowStartEpochUs) / 1e6;
  }
}
