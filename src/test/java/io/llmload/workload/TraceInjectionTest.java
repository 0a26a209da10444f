package io.llmload.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceInjectionTest {
  @Test
  void usersDueTogetherStartTogether() {
    // [atOnce(2)] [nothingFor(100), atOnce(1)] [nothingFor(150), atOnce(3)]
    assertEquals(5, TraceInjection.steps(List.of(0L, 0L, 100L, 250L, 250L, 250L)).size());
    // a first offset above zero waits first
    assertEquals(2, TraceInjection.steps(List.of(40L)).size());
    assertEquals(0, TraceInjection.steps(List.of()).size());
    assertThrows(IllegalArgumentException.class, () -> TraceInjection.steps(List.of(10L, 5L)));
  }
}
