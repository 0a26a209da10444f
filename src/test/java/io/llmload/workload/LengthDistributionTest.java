package io.llmload.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.IntSupplier;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

class LengthDistributionTest {
  private static final int DRAWS = 50_000;

  private static SummaryStatistics draw(String spec, Integer max) {
    IntSupplier s = LengthDistribution.parse("input", spec, max).sampler(new MersenneTwister(42));
    SummaryStatistics st = new SummaryStatistics();
    for (int i = 0; i < DRAWS; i++) st.addValue(s.getAsInt());
    return st;
  }

  @Test
  void fixedIsConstant() {
    SummaryStatistics st = draw("fixed:512", null);
    assertEquals(512, st.getMin());
    assertEquals(512, st.getMax());
  }

  @Test
  void uniformCoversItsRangeWithTheRightMoments() {
    SummaryStatistics st = draw("uniform:100,1000", null);
    assertEquals(100, st.getMin());
    assertEquals(1000, st.getMax());
    assertEquals(550, st.getMean(), 5);
    // discrete uniform sd = sqrt(((b-a+1)^2 - 1) / 12)
    assertEquals(Math.sqrt((901.0 * 901 - 1) / 12), st.getStandardDeviation(), 3);
  }

  @Test
  void normalHasItsMeanAndSd() {
    SummaryStatistics st = draw("normal:500,100", null);
    assertEquals(500, st.getMean(), 2);
    assertEquals(100, st.getStandardDeviation(), 2);
  }

  @Test
  void lognormalHasItsMeanAndSd() {
    double mu = 5;
    double sigma = 0.5;
    SummaryStatistics st = draw("lognormal:5,0.5", null);
    double mean = Math.exp(mu + sigma * sigma / 2);
    double sd = Math.sqrt((Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma));
    assertEquals(mean, st.getMean(), mean * 0.01);
    assertEquals(sd, st.getStandardDeviation(), sd * 0.03);
  }

  @Test
  void drawsAreClampedToOneAndMax() {
    SummaryStatistics st = draw("normal:10,50", 40);
    assertEquals(1, st.getMin());
    assertEquals(40, st.getMax());
  }

  @Test
  void badSpecsGiveOneLineNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LengthDistribution.parse("input", "gauss:1", null));
    assertEquals("input: 'gauss:1' is not one of fixed:N, uniform:A,B, normal:MEAN,SD, lognormal:MU,SIGMA", e.getMessage());
    for (String bad : new String[] {"fixed", "fixed:0", "fixed:1.5", "uniform:5", "uniform:9,3", "normal:500,0", "normal:x,1", "lognormal:1,-1", "normal:1,2,3"}) {
      String msg = assertThrows(IllegalArgumentException.class, () -> LengthDistribution.parse("output", bad, null)).getMessage();
      assertTrue(msg.startsWith("output: '" + bad + "'"), msg);
      assertFalse(msg.contains("\n"), msg);
    }
  }
}
