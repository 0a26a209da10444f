package io.llmload.collector.host;

import io.llmload.collector.UnsupportedSourceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU package energy from Linux powercap RAPL ({@code <root>/intel-rapl:N/energy_uj}), summed over
 * packages, cumulative since {@link #open}, corrected for counter wrap-around at
 * {@code max_energy_range_uj}. Read often enough that a counter wraps at most once between reads (its
 * range lasts minutes at full power). Not thread-safe: one sampling thread owns it.
 */
public final class Rapl {

  private static final class Zone {
    final Path energy;
    final long range;
    long last;

    Zone(Path energy, long range, long last) {
      this.energy = energy;
      this.range = range;
      this.last = last;
    }
  }

  private final List<Zone> zones;
  private long total;

  private Rapl(List<Zone> zones) {
    this.zones = zones;
  }

  /**
   * Finds the package zones under {@code root} and reads their counters once.
   *
   * @throws UnsupportedSourceException when there is no RAPL tree or it is unreadable (root-only since
   *     Linux 5.10, masked in containers)
   */
  public static Rapl open(Path root) throws UnsupportedSourceException {
    if (!Files.isDirectory(root)) {
      throw new UnsupportedSourceException("no RAPL powercap tree at " + root);
    }
    List<Zone> zones = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "intel-rapl:*")) {
      List<Path> dirs = new ArrayList<>();
      ds.forEach(dirs::add);
      dirs.sort(null);
      for (Path d : dirs) {
        String n = d.getFileName().toString();
        // package zones are intel-rapl:N; intel-rapl:N:M are their sub-zones (core, uncore, dram)
        if (n.indexOf(':') != n.lastIndexOf(':')) {
          continue;
        }
        Path name = d.resolve("name");
        if (!Files.isRegularFile(name) || !Files.readString(name).trim().startsWith("package")) {
          continue;
        }
        Path energy = d.resolve("energy_uj");
        long range = readLong(d.resolve("max_energy_range_uj"));
        zones.add(new Zone(energy, range, readLong(energy)));
      }
    } catch (AccessDeniedException e) {
      throw new UnsupportedSourceException(
          "RAPL energy_uj not readable (root-only since Linux 5.10): " + e.getFile());
    } catch (IOException | NumberFormatException e) {
      throw new UnsupportedSourceException("RAPL unreadable under " + root + ": " + e);
    }
    if (zones.isEmpty()) {
      throw new UnsupportedSourceException("no RAPL package zone under " + root);
    }
    return new Rapl(zones);
  }

  /** Energy of all packages since {@link #open}, in microjoules. */
  public long read() throws IOException {
    for (Zone z : zones) {
      long cur = readLong(z.energy);
      total += delta(z.last, cur, z.range);
      z.last = cur;
    }
    return total;
  }

  /** Counter increase from {@code prev} to {@code cur} on a counter that wraps to 0 after {@code range}. */
  public static long delta(long prev, long cur, long range) {
    return cur >= prev ? cur - prev : cur + (range - prev);
  }

  private static long readLong(Path p) throws IOException {
    return Long.parseLong(Files.readString(p).trim());
  }
}
