package io.llmload.load;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The closed model's gate: never over its width, narrowing starts nobody, a widening spread over time. */
class UserGateTest {

  @Test
  void takesUpToTheWidthAndNarrowingWaitsForEnds() {
    UserGate g = new UserGate();
    g.width(3);
    assertTrue(g.tryTake() && g.tryTake() && g.tryTake());
    assertFalse(g.tryTake());
    g.width(1);
    g.release();
    assertFalse(g.tryTake(), "2 still in flight over a width of 1");
    g.release();
    g.release();
    assertTrue(g.tryTake());
    g.stop();
    g.release();
    assertTrue(g.finished());
    assertEquals(4, g.started());
  }

  @Test
  void aWideningIsSpreadOverItsRamp() throws InterruptedException {
    UserGate g = new UserGate();
    g.width(10, Duration.ofMillis(400));
    int early = 0;
    while (g.tryTake()) early++;
    assertTrue(early <= 1, "at the start of the ramp: " + early);
    assertTrue(g.ramping());
    Thread.sleep(450);
    int late = 0;
    while (g.tryTake()) late++;
    assertEquals(10, early + late, "after the ramp: the whole width");
    assertFalse(g.ramping());
  }
}
