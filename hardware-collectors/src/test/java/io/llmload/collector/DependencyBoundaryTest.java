package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector runs alone on a GPU host: its code must not reach Gatling, Scala, Netty or the rest of
 * the suite, and must run with only its own classes and OSHI, JNA, Jackson and slf4j.
 */
class DependencyBoundaryTest {

  private static final Pattern FORBIDDEN =
      Pattern.compile("\\b(io\\.gatling|scala|akka|io\\.netty|io\\.llmload\\.(?!collector\\b)[a-z]+)\\.");
  private static final List<String> ALLOWED_JARS = List.of("oshi-core", "oshi-common", "jna-jpms",
      "jna-platform-jpms", "jackson-core", "jackson-databind", "jackson-annotations", "slf4j-api",
      // GET /metrics: the Prometheus client and its HTTP exporter
      "prometheus-metrics-core", "prometheus-metrics-model", "prometheus-metrics-config",
      "prometheus-metrics-exporter-httpserver", "prometheus-metrics-exporter-common",
      "prometheus-metrics-exposition-formats", "prometheus-metrics-exposition-textformats",
      "prometheus-metrics-tracer-common", "prometheus-metrics-tracer-initializer", "prometheus-metrics-tracer-otel",
      "prometheus-metrics-tracer-otel-agent");

  @TempDir Path tmp;

  @Test
  void sourcesReferenceNothingOutsideTheCollector() throws Exception {
    Path root = Path.of("hardware-collectors", "src", "main", "java");
    if (!Files.isDirectory(root)) {
      fail("collector sources not found at " + root.toAbsolutePath() + " (run from the repository root)");
    }
    List<String> bad = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
        files++;
        String text = Files.readString(p);
        if (!text.startsWith("package io.llmload.collector")) {
          bad.add(p + ": outside package io.llmload.collector");
        }
        Matcher m = FORBIDDEN.matcher(text);
        while (m.find()) {
          bad.add(p + ": " + m.group());
        }
      }
    }
    assertTrue(files > 20, "found " + files + " collector sources");
    assertEquals(List.of(), bad);
  }

  @Test
  void runsWithOnlyItsOwnClassesAndItsLibraries() throws Exception {
    Path classes = Path.of(CollectorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path only = tmp.resolve("classes");
    Path pkg = classes.resolve("io/llmload/collector");
    try (Stream<Path> s = Files.walk(pkg)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = only.resolve(classes.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    List<URL> urls = new ArrayList<>();
    urls.add(only.toUri().toURL());
    List<String> found = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      for (String allowed : ALLOWED_JARS) {
        if (name.matches(Pattern.quote(allowed) + "-\\d.*\\.jar")) {
          urls.add(Path.of(e).toUri().toURL());
          found.add(allowed);
        }
      }
    }
    assertTrue(found.containsAll(List.of("oshi-core", "jna-jpms", "jackson-databind")), "libraries: " + found);
    Path out = tmp.resolve("out");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (URLClassLoader cl = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> main = Class.forName("io.llmload.collector.CollectorMain", true, cl);
      assertTrue(main.getClassLoader() == cl, "loaded in isolation, not from the test class path");
      Method run = main.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
      Object code = run.invoke(null, new String[] {"--port", "0", "--duration", "4s", "--out", out.toString(),
          "--process", "java", "--nvml", tmp.resolve("none").toString()},
          new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
      assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
    }
    String status = o.toString(StandardCharsets.UTF_8);
    assertTrue(status.matches("(?s).*host\\s+running.*"), status);
    assertTrue(Files.readAllLines(out.resolve("host.csv")).size() >= 2, "host rows written");
  }
}
