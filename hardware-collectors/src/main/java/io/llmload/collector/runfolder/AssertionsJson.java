package io.llmload.collector.runfolder;

/**
 * The names of a run's Gatling assertions: as the simulation declares them in {@code run.json}
 * ({@code assertions}, one entry per objective) and as the aggregator judges them again in
 * {@code summary.json} ({@code assertions}: verdict, rows_from, results). Writer and readers on both
 * sides use these, so a name changes in one place.
 */
public final class AssertionsJson {
  // run.json: one declared objective
  public static final String ROW = "row";
  public static final String STAT = "stat";
  public static final String PERCENTILE = "percentile";
  public static final String LTE = "lte";

  // the values of STAT
  public static final String RESPONSE_TIME_PERCENTILE = "response_time_percentile";
  public static final String TPOT_PERCENTILE = "tpot_percentile";
  public static final String FAILED_PERCENT = "failed_percent";

  // summary.json: the judgement
  public static final String VERDICT = "verdict";
  public static final String PASSED = "passed";
  public static final String FAILED = "failed";
  public static final String ROWS_FROM = "rows_from";
  public static final String FROM_SCHEDULED = "scheduled";
  public static final String FROM_SENT = "sent";
  public static final String RESULTS = "results";
  // each result: the declared fields above, and
  public static final String REQUESTS = "requests";
  public static final String ACTUAL = "actual";
  public static final String HELD = "held";

  private AssertionsJson() {}
}
