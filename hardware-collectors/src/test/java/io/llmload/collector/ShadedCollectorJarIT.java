package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The standalone collector jar that {@code package} shades: only the collector's own classes and
 * the libraries it uses. Run by failsafe in {@code mvn verify}, after the jar exists.
 */
class ShadedCollectorJarIT {

  @Test
  void theShadedJarHoldsNoGatlingScalaOrNetty() throws Exception {
    Path jar = Path.of("target", "hardware-collector.jar");
    assertTrue(Files.exists(jar), "target/hardware-collector.jar not built: this test runs in mvn verify, after package");
    List<String> bad = new ArrayList<>();
    boolean main = false;
    try (ZipFile z = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
        String n = en.nextElement().getName();
        if (n.startsWith("io/gatling/") || n.startsWith("scala/") || n.startsWith("io/netty/")
            || (n.startsWith("io/llmload/") && !n.startsWith("io/llmload/collector/") && !n.equals("io/llmload/"))) {
          bad.add(n);
        }
        main |= n.equals("io/llmload/collector/CollectorMain.class");
      }
    }
    assertTrue(main, "CollectorMain in the jar");
    assertEquals(List.of(), bad);
  }
}
