package io.llmload.report;

/**
 * A phase's inter-token latency: every gap, from the records' gap histograms ({@code itl_hist},
 * merged exactly), and one mean per request under its own name. A record without its gaps (written
 * before definitions 2) counts its mean once per gap, as before, and {@link #basis()} says so.
 */
final class ItlFigures {
  /** Every inter-token gap, or per-request means where a record has none. */
  final HistogramAccumulator gaps = new HistogramAccumulator(1000);
  /** One value per request: its mean gap. */
  final HistogramAccumulator requestMeans = new HistogramAccumulator(1000);
  long fromGaps;
  long fromMeans;
  // Records whose gaps counted each chunk as one token (no per-chunk token count from the server).
  long chunkTokens;
  private final GapHistograms decoder = new GapHistograms();

  void add(RequestRecord r) {
    if ("chunks".equals(r.itlTokens)) chunkTokens++;
    boolean summary = r.itlN != RequestRecord.ABSENT && r.itlN > 0 && !Double.isNaN(r.itlMean);
    long n = r.itlHist == null ? -1 : decoder.addTo(r.itlHist, gaps.histogram());
    if (n > 0) {
      double sumMs = summary && r.itlN == n ? r.itlMean * n : decoder.lastSumUs / 1000;
      double maxMs = Double.isNaN(r.itlMax) ? decoder.lastMaxUs / 1000.0 : r.itlMax;
      gaps.noteRecorded(n, sumMs, maxMs, decoder.lastMinUs / 1000.0);
      fromGaps++;
      requestMeans.record(sumMs / n);
    } else if (summary) {
      // The mean stands for each of the n gaps: the overall mean and max stay exact, only the
      // percentiles are of means.
      gaps.recordWeighted(r.itlMean, r.itlN, Double.isNaN(r.itlMax) ? r.itlMean : r.itlMax);
      fromMeans++;
      requestMeans.record(r.itlMean);
    }
  }

  void merge(ItlFigures o) {
    gaps.add(o.gaps);
    requestMeans.add(o.requestMeans);
    fromGaps += o.fromGaps;
    fromMeans += o.fromMeans;
    chunkTokens += o.chunkTokens;
  }

  /** {@code gaps}, {@code request_means}, {@code gaps_and_request_means}, or null without any. */
  String basis() {
    if (fromMeans == 0) return fromGaps == 0 ? null : "gaps";
    return fromGaps == 0 ? "request_means" : "gaps_and_request_means";
  }
}
