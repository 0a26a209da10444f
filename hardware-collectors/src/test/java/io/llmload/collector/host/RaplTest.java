package io.llmload.collector.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmload.collector.UnsupportedSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAPL on a fake powercap tree (synthetic counter values). */
class RaplTest {

  @TempDir Path root;

  private Path zone(String dir, String name, long energy, long range) throws Exception {
    Path d = Files.createDirectories(root.resolve(dir));
    Files.writeString(d.resolve("name"), name + "\n");
    Files.writeString(d.resolve("energy_uj"), energy + "\n");
    Files.writeString(d.resolve("max_energy_range_uj"), range + "\n");
    return d;
  }

  @Test
  void sumsPackagesAndCorrectsWrapAround() throws Exception {
    Path p0 = zone("intel-rapl:0", "package-0", 262_143_000_000L, 262_143_328_850L);
    Path p1 = zone("intel-rapl:1", "package-1", 1_000, 262_143_328_850L);
    zone("intel-rapl:0:0", "core", 5, 262_143_328_850L); // a sub-zone, already inside package-0
    zone("intel-rapl:2", "psys", 5, 1000); // platform zone, not a CPU package
    Rapl r = Rapl.open(root);
    assertEquals(0, r.read());
    // package-0 wraps: 328_850 µJ to the top of its range, then 1_000_000 µJ after 0
    Files.writeString(p0.resolve("energy_uj"), "1000000\n");
    Files.writeString(p1.resolve("energy_uj"), "501000\n");
    assertEquals(328_850 + 1_000_000 + 500_000, r.read());
    Files.writeString(p0.resolve("energy_uj"), "1000010\n");
    assertEquals(328_850 + 1_000_000 + 500_000 + 10, r.read());
  }

  @Test
  void deltaFormula() {
    assertEquals(5, Rapl.delta(10, 15, 100));
    assertEquals(15, Rapl.delta(95, 10, 100));
  }

  @Test
  void missingTreeOrNoPackageIsUnsupportedNotAnError() throws Exception {
    UnsupportedSourceException e =
        assertThrows(UnsupportedSourceException.class, () -> Rapl.open(root.resolve("absent")));
    assertTrue(e.getMessage().contains("no RAPL powercap tree"), e.getMessage());
    zone("intel-rapl:0:0", "core", 5, 100);
    e = assertThrows(UnsupportedSourceException.class, () -> Rapl.open(root));
    assertTrue(e.getMessage().contains("no RAPL package zone"), e.getMessage());
  }
}
