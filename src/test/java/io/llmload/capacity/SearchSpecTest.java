package io.llmload.capacity;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.config.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each bad property of a search is refused with one line naming it and what is allowed. */
class SearchSpecTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "search|latency|search: 'latency' is not one of concurrency, rate",
        "min|0|min: 0 is out of range; allowed: a whole number >= 1",
        "max|1|max: 1 is out of range; allowed: greater than min (1)",
        "precision|0%|precision: 0% is out of range; allowed: 1% to 50%, e.g. 10%",
        "precision|fine|precision: 'fine' is not a percentage; allowed: 1% to 50%, e.g. 10%",
        "maxDuration|0s|maxDuration: must be greater than 0, e.g. 30s",
        "slo.fraction|1.5|slo.fraction: 1.5 is out of range; allowed: a share in (0, 1], e.g. 0.95",
        "slo.e2e|soon|slo.e2e: 'soon' is not a duration; use e.g. 500ms, 30s, 1.5s, 2m or 1h",
        "probe.maxWindow|5s|probe.maxWindow: must be at least probe.window (PT10S)",
      })
  void aBadPropertyIsOneLine(String name, String value, String expected) {
    Properties p = new Properties();
    p.setProperty("slo.tpot", "100ms");
    p.setProperty(name, value);
    List<String> lines = new ArrayList<>();
    assertThrows(IllegalArgumentException.class, () -> SearchSpec.from(new Params(p, lines::add)));
    assertEquals(List.of(expected), lines);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"concurrency", "rate"})
  void noSloIsRefused(String search) {
    Properties p = new Properties();
    p.setProperty("search", search);
    List<String> lines = new ArrayList<>();
    assertThrows(IllegalArgumentException.class, () -> SearchSpec.from(new Params(p, lines::add)));
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).startsWith("slo.ttft: a capacity search needs an SLO"), lines.get(0));
  }
}
