package io.llmload.capacity;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.record.RequestRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a probe decides: early when certain, extended when too close to call, failed by a growing backlog. */
class ProbeVerdictTest {
  static final SearchSpec.Slo SLO = new SearchSpec.Slo(null, 100.0, null, 0.95);

  static SearchSpec spec(boolean rate) {
    return new SearchSpec(rate, 1, 100, 0.1, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(3), 20, SLO);
  }

  static RequestRecord rec(double tpotMs) {
    RequestRecord r = new RequestRecord();
    r.status = "ok";
    r.tpotMs = tpotMs;
    r.ttftFromScheduledMs = 50.0;
    r.outputTokens = 10L;
    return r;
  }

  @Test
  void aClearlyPassingProbeStopsEarlyAndAClearlyFailingOneToo() {
    ProbeVerdict v = new ProbeVerdict(spec(false));
    ProbeStats pass = new ProbeStats(SLO);
    for (int i = 0; i < 25; i++) pass.add(rec(40)); // margin 0.4: every request well inside
    assertNull(v.judge(pass, 4, 2.9), "no verdict before the shortest window");
    ProbeVerdict.Decision d = v.judge(pass, 4, 3.0);
    assertNotNull(d);
    assertTrue(d.pass());
    ProbeStats fail = new ProbeStats(SLO);
    for (int i = 0; i < 25; i++) fail.add(rec(i % 2 == 0 ? 99 : 180)); // half miss by 80 %: attainment 52 %
    d = v.judge(fail, 40, 3.0);
    assertNotNull(d);
    assertFalse(d.pass());
    assertTrue(d.reason().startsWith("certain"), d.reason());
  }

  @Test
  void aClearVerdictNeedsHalfTheSamplesAndACertainOneAll() {
    ProbeVerdict v = new ProbeVerdict(spec(false));
    ProbeStats clear = new ProbeStats(SLO);
    for (int i = 0; i < 9; i++) clear.add(rec(40));
    assertNull(v.judge(clear, 4, 9), "9 requests, every one well inside: not yet");
    clear.add(rec(40));
    assertTrue(v.judge(clear, 4, 9).pass(), "10 (half of 20) well inside: clear");
    ProbeStats near = new ProbeStats(SLO);
    for (int i = 0; i < 19; i++) near.add(rec(90)); // inside, but not by 25 %
    assertNull(v.judge(near, 4, 9), "19 requests near the bound: no certainty yet");
  }

  @Test
  void aCloseCallRunsPastTheNominalWindowAndIsThenTakenFromTheEstimate() {
    ProbeVerdict v = new ProbeVerdict(spec(false));
    ProbeStats s = new ProbeStats(SLO);
    // 96 % meet the bound, just above 95 %: the 90 % interval straddles the target
    for (int i = 0; i < 100; i++) s.add(rec(i < 4 ? 120 : 95));
    double[] ci = Wilson.interval(96, 100, Wilson.Z90);
    assertTrue(ci[0] < 0.95 && ci[1] > 0.95, "the reference interval straddles 0.95");
    assertNull(v.judge(s, 30, 10), "at the nominal window: extended");
    assertNull(v.judge(s, 30, 29.9), "still extended");
    ProbeVerdict.Decision d = v.judge(s, 30, 30);
    assertNotNull(d);
    assertTrue(d.pass());
    assertTrue(d.reason().startsWith("close call"), d.reason());
  }

  @Test
  void aRateProbeWhoseBacklogGrowsFailsHoweverGoodItsRequests() {
    ProbeVerdict v = new ProbeVerdict(spec(true));
    ProbeStats s = new ProbeStats(SLO);
    for (int i = 0; i < 200; i++) s.add(rec(30));
    // the queue grows by 2 requests per second through the window: 20 over 10 s
    for (int i = 0; i <= 50; i++) s.backlog(i * 0.2, 10 + (int) Math.round(i * 0.4));
    assertNull(v.judge(s, 20, 5), "a pass waits for the whole nominal window in a rate search");
    ProbeVerdict.Decision d = v.judge(s, 20, 10);
    assertNotNull(d);
    assertFalse(d.pass());
    assertTrue(d.reason().startsWith("backlog grew"), d.reason());
    // the same requests with a steady queue pass
    ProbeStats steady = new ProbeStats(SLO);
    for (int i = 0; i < 200; i++) steady.add(rec(30));
    for (int i = 0; i <= 50; i++) steady.backlog(i * 0.2, 10 + (i % 3));
    assertTrue(v.judge(steady, 20, 10).pass());
  }

  @Test
  void aRunawayBacklogFailsAtOnce() {
    ProbeStats s = new ProbeStats(SLO);
    for (int i = 0; i <= 10; i++) s.backlog(i * 0.2, 5 + i * 10);
    ProbeVerdict.Decision d = new ProbeVerdict(spec(true)).judge(s, 50, 2);
    assertNotNull(d, "before the shortest window: plainly over-saturated");
    assertFalse(d.pass());
    assertTrue(d.reason().startsWith("over-saturated"), d.reason());
  }

  @Test
  void wilsonMatchesAReferenceValue() {
    // 45 of 50 at 90 %: [0.8085, 0.9505] (computed apart, in Python, from Wilson's 1927 formula)
    double[] ci = Wilson.interval(45, 50, Wilson.Z90);
    assertEquals(0.8085, ci[0], 0.0005);
    assertEquals(0.9505, ci[1], 0.0005);
  }

  @Test
  void requestsStillOutAfterTheDrainAreMissesAndTheCompleteWindowIsFinal() {
    ProbeVerdict v = new ProbeVerdict(spec(false));
    ProbeStats s = new ProbeStats(SLO);
    for (int i = 0; i < 30; i++) s.add(rec(40));
    ProbeVerdict.Decision early = v.judge(s, 8, 3.0);
    assertNotNull(early);
    assertTrue(early.pass() && early.censored(), "from the requests that ended: a pass, to be confirmed");
    s.unfinished(6); // 6 of 36 never ended: 83 % attainment
    ProbeVerdict.Decision d = v.judge(s, 8, 3.0, true);
    assertNotNull(d);
    assertFalse(d.pass(), d.reason());
    assertEquals(36, s.n());
    assertEquals(30, s.good());
  }
}
