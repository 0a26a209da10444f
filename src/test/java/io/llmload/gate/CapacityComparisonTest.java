package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gate on a capacity: a drop counts only when the current run failed at a load at least the
 * tolerance (10 %) below one the baseline passed; overlapping brackets with different answers are
 * inconclusive. Brackets are SYNTHETIC ("16 users last night, 12 tonight").
 */
class CapacityComparisonTest {
  static JsonNode search(String pass, String fail) throws Exception {
    String p = pass.equals("-") ? "null" : "{\"load\":" + pass + "}";
    String f = fail.equals("-") ? "null" : "{\"load\":" + fail + "}";
    String answer = pass.equals("-") ? "null" : pass;
    return new ObjectMapper().readTree("{\"answer\":" + answer + ",\"bracket\":{\"pass\":" + p + ",\"fail\":" + f + "},\"probes\":[]}");
  }

  @ParameterizedTest(name = "[{0},{1}) then [{2},{3}): {4}")
  @CsvSource({
    "16,17,12,13,REGRESSED",     // failed at 13, 19 % below the pass at 16
    "16,17,14,15,INCONCLUSIVE",  // answer 12.5 % lower, but 15 is only 6 % below 16
    "16,17,15,16,UNCHANGED",     // 6 % lower: within 10 %
    "16,17,16,17,UNCHANGED",
    "16,17,20,22,IMPROVED",      // passed 20, 18 % above the failure at 17
    "16,-,16,-,UNCHANGED",       // both above max
    "16,-,12,13,REGRESSED",      // the baseline held max; tonight fails at 13
    "12,13,16,-,IMPROVED",
    "-,1,4,5,IMPROVED",          // below min last night
    "4,5,-,1,REGRESSED",
  })
  void bracketsDecide(String bp, String bf, String cp, String cf, Verdict expected) throws Exception {
    MetricResult r = CapacityComparison.compare(search(bp, bf), search(cp, cf), GateOptions.defaults());
    assertEquals(expected, r.verdict(), r.reason());
    assertEquals(ComparedMetric.CAPACITY, r.metric());
  }
}
