package io.llmload.collector.smi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.llmload.collector.GpuSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** nvidia-smi lines as the real H100 printed them: with units, without units; and N/A states. */
class NvidiaSmiParserTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  private static Path h100(String name) {
    Path p = Path.of("src", "test", "resources", "fixtures", "gpu", "nvidia-h100", name).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new AssertionError("fixture missing: " + p + " (run from the repository root)");
    }
    return p;
  }

  @Test
  void parsesLinesWithUnits() throws Exception {
    List<String> lines = Files.readAllLines(h100("nvidia-smi-query-header.csv"));
    NvidiaSmiParser p = NvidiaSmiParser.fromHeader(lines.get(0), UTC);
    GpuSample s = p.parse(lines.get(1), 0, 0);
    assertNotNull(s);
    assertEquals(LocalDateTime.of(2026, 11, 22, 12, 11, 34, 977_000_000).atZone(UTC).toInstant().toEpochMilli(),
        s.epochMs());
    assertEquals(0, s.gpuIndex());
    assertEquals("GPU-71d67137-6a47-6968-6419-b512047e8cce", s.gpuUuid());
    assertEquals("NVIDIA H100 80GB HBM3", s.gpuName());
    assertEquals(0.0, s.utilGpuPct());
    assertEquals(81559.0, s.memTotalMib());
    assertEquals(74.22, s.powerAvgW());
    assertEquals(73.87, s.powerInstantW());
    assertEquals(700.0, s.powerLimitW());
    assertEquals(345.0, s.smClockMhz());
    assertEquals(2619.0, s.memClockMhz());
    assertEquals(40.0, s.tempC());
    assertNull(s.energyMj(), "nvidia-smi has no energy counter");
    assertEquals("nvidia-smi", s.source());
  }

  @Test
  void parsesLinesWithoutUnitsUnderLoad() throws Exception {
    NvidiaSmiParser p = NvidiaSmiParser.fromHeader(Files.readAllLines(h100("nvidia-smi-query-mixed-load-header.csv")).get(0), UTC);
    List<String> lines = Files.readAllLines(h100("nvidia-smi-query-100ms-mixed-load.csv"));
    int parsed = 0;
    double maxInstant = 0;
    for (String l : lines) {
      GpuSample s = p.parse(l, 0, 0);
      assertNotNull(s, l);
      parsed++;
      maxInstant = Math.max(maxInstant, s.powerInstantW());
    }
    assertEquals(lines.size(), parsed);
    // the largest power.draw.instant in the file (column 11), above the 700 W limit during bursts
    assertEquals(950.29, maxInstant);
  }

  @Test
  void parsesTheCollectorsOwnFieldOrderAndTheDecodeCaptureWithoutIndex() throws Exception {
    NvidiaSmiParser own = new NvidiaSmiParser(NvidiaSmiParser.FIELDS, UTC);
    // the collector's field order, values copied from the first line of nvidia-smi-query-100ms.csv
    GpuSample s = own.parse("2026/11/22 12:11:35.009, 0, GPU-71d67137-6a47-6968-6419-b512047e8cce, NVIDIA H100 80GB HBM3,"
        + " 0, 0, 0, 81559, 74.22, 73.87, 700.00, 345, 2619, 40", 0, 5);
    assertNotNull(s);
    assertEquals(74.22, s.powerAvgW());
    assertEquals(73.87, s.powerInstantW());
    assertEquals(LocalDateTime.of(2026, 11, 22, 12, 11, 35, 9_000_000).atZone(UTC).toInstant().toEpochMilli() + 5,
        s.epochMs(), "clock correction is added");

    List<String> decode = Files.readAllLines(h100("llm-decode/nvidia-smi-decode-200ms.csv"));
    NvidiaSmiParser p = NvidiaSmiParser.fromHeader(decode.get(0), UTC);
    GpuSample d = p.parse(decode.get(2), 0, 0);
    assertNotNull(d);
    assertNull(d.gpuIndex());
    assertEquals(78.88, d.powerAvgW(), "power.draw is the average when power.draw.average is absent");
    assertEquals(127.30, d.powerInstantW());
    assertEquals(1583.0, d.memUsedMib());
  }

  @Test
  void notAvailableIsNullNeverZero() {
    NvidiaSmiParser p = new NvidiaSmiParser(NvidiaSmiParser.FIELDS, UTC);
    // synthetic line in nvidia-smi's own notation for unsupported fields (as on MIG or older GPUs)
    GpuSample s = p.parse("2026/11/22 12:11:35.009, 0, GPU-x, Tesla T4, [N/A], [Not Supported], 10, 15360,"
        + " [N/A], N/A, 70.00, 585, 5000, [Unknown Error]", 123, 0);
    assertNotNull(s);
    assertNull(s.utilGpuPct());
    assertNull(s.utilMemPct());
    assertNull(s.powerAvgW());
    assertNull(s.powerInstantW());
    assertNull(s.tempC());
    assertEquals(10.0, s.memUsedMib());
    assertEquals(70.0, s.powerLimitW());
    assertEquals(",nvidia-smi,0,GPU-x,Tesla T4,,,10,15360,,,,585,5000,,70", s.csv().substring(s.csv().indexOf(',')));
  }

  @Test
  void errorTextAndWrongShapesAreNotSamples() {
    NvidiaSmiParser p = new NvidiaSmiParser(NvidiaSmiParser.FIELDS, UTC);
    assertNull(p.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 0, 0));
    assertNull(p.parse("Field \"power.draw.instant\" is not a valid field to query.", 0, 0));
    assertNull(p.parse("", 0, 0));
    assertNull(p.parse("a, b, c", 0, 0));
  }
}
