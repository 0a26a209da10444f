package io.llmload.load;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  private static List<Long> all(ArrivalSchedule s) {
    List<Long> out = new ArrayList<>();
    long t;
    while ((t = s.nextOffsetNanos()) >= 0) {
      if (!out.isEmpty()) assertTrue(t >= out.get(out.size() - 1), "offsets are in order");
      out.add(t);
    }
    return out;
  }

  @Test
  void constantRateIsEvenlySpaced() {
    List<Long> t = all(ArrivalSchedule.constant(200, Duration.ofSeconds(10)));
    assertEquals(2000, t.size());
    assertEquals(5_000_000, t.get(1) - t.get(0));
    assertEquals(9_995_000_000L, t.get(t.size() - 1));
  }

  @Test
  void poissonHasTheRequestedMeanRateAndIsSeeded() {
    List<Long> a = all(ArrivalSchedule.poisson(200, Duration.ofSeconds(100), 7));
    List<Long> b = all(ArrivalSchedule.poisson(200, Duration.ofSeconds(100), 7));
    List<Long> c = all(ArrivalSchedule.poisson(200, Duration.ofSeconds(100), 8));
    assertEquals(a, b);
    assertNotEquals(a, c);
    // 20,000 expected, standard deviation about 141
    assertEquals(20_000, a.size(), 600);
    // gaps are exponential: their coefficient of variation is about 1
    double mean = 0, sq = 0;
    for (int i = 1; i < a.size(); i++) {
      double g = a.get(i) - a.get(i - 1);
      mean += g;
      sq += g * g;
    }
    int n = a.size() - 1;
    mean /= n;
    double cv = Math.sqrt(sq / n - mean * mean) / mean;
    assertEquals(1.0, cv, 0.05);
  }

  @Test
  void rampIntegratesTheRate() {
    // 0 -> 100 req/s over 10 s: 500 arrivals, denser at the end
    List<Long> t = all(ArrivalSchedule.ramp(1e-9, 100, Duration.ofSeconds(10)));
    assertEquals(500, t.size(), 2);
    long firstHalf = t.stream().filter(x -> x < 5_000_000_000L).count();
    assertEquals(125, firstHalf, 2);
  }

  @Test
  void traceIsScaledAndThenShifts() {
    assertEquals(List.of(0L, 2_000_000L, 6_000_000L), all(ArrivalSchedule.trace(List.of(0L, 1L, 3L), 2.0)));
    List<Long> t =
        all(ArrivalSchedule.constant(1, Duration.ofSeconds(2)).then(Duration.ofSeconds(2), ArrivalSchedule.constant(2, Duration.ofSeconds(1))));
    assertEquals(List.of(0L, 1_000_000_000L, 2_000_000_000L, 2_500_000_000L), t);
  }

  @Test
  void aVariableRateAppliesFromTheNextArrival() {
    double[] rate = {10};
    ArrivalSchedule s = ArrivalSchedule.variable(() -> rate[0], Duration.ofSeconds(1));
    assertEquals(0, s.nextOffsetNanos());
    assertEquals(100_000_000, s.nextOffsetNanos());
    rate[0] = 100; // the search steps up: gaps of 10 ms from the next arrival on
    assertEquals(200_000_000, s.nextOffsetNanos());
    assertEquals(210_000_000, s.nextOffsetNanos());
    int more = 0;
    while (s.nextOffsetNanos() >= 0) more++;
    assertEquals(78, more, "220 ms to 990 ms, 10 ms apart");
  }
}
