package io.llmload.collector.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.llmload.collector.GpuSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sample output from the documentation quoted in hardware-facts.md section 6 (powermetrics text
 * format), not a capture from our own machine.
 */
class PowermetricsParserTest {

  private static final String SAMPLE = """
      *** Sampled system activity (Tue Feb 27 11:00:00 2026) (1000.55 ms elapsed) ***

      **** GPU usage ****

      GPU HW active frequency: 338 MHz
      GPU HW active residency:   1.63% (338 MHz: 1.6% 618 MHz:   0% 796 MHz:   0% 1578 MHz:   0%)
      GPU SW requested state: (P1 : 100% P2 :   0% P15 :   0%)
      GPU idle residency:  98.37%
      GPU Power: 28 mW

      *** Sampled system activity (Tue Feb 27 11:00:01 2026) (1000.12 ms elapsed) ***
      CPU Power: 8916 mW
      GPU Power: 9462 mW
      ANE Power: 0 mW
      Combined Power (CPU + GPU + ANE): 18378 mW
      GPU idle residency:  20.00%
      GPU Power: 9999 mW
      """;

  @Test
  void parsesSamples() {
    PowermetricsParser p = new PowermetricsParser();
    List<GpuSample> out = new ArrayList<>();
    long t = 1000;
    for (String l : SAMPLE.split("\n")) {
      GpuSample s = p.line(l, t++);
      if (s != null) {
        out.add(s);
      }
    }
    GpuSample last = p.finish();
    assertNotNull(last);
    out.add(last);
    assertEquals(2, out.size());
    GpuSample a = out.get(0);
    assertEquals(1.63, a.utilGpuPct());
    assertEquals(338.0, a.smClockMhz());
    assertEquals(0.028, a.powerAvgW());
    assertEquals("powermetrics", a.source());
    GpuSample b = out.get(1);
    assertEquals(80.0, b.utilGpuPct(), 1e-9, "from idle residency when HW active residency is absent");
    assertEquals(9.462, b.powerAvgW(), "the first GPU Power line of a sample");
    assertNull(b.smClockMhz());
  }
}
