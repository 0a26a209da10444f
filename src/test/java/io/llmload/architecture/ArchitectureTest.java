package io.llmload.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rules, read from the sources: only io.llmload.collector.runfolder names the run folder's
 * files (it lives inside the collector's package so that the standalone collector jar holds it),
 * and the collector imports no Gatling, Scala or Netty, nor any other suite package.
 */
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java");
  static final Path COLLECTOR = Path.of("hardware-collectors/src/main/java");
  static final String RUNFOLDER = "io/llmload/collector/runfolder/";

  /** A string literal that is a run-folder file's name or a path to it, or the hardware folder resolved by name. */
  static final Pattern FILE_BY_NAME = Pattern.compile(
      "\"(?:[\\w.-]*/)*(requests\\.jsonl|summary\\.json|run\\.json|gpu\\.csv|host\\.csv|process\\.csv"
          + "|server-metrics\\.jsonl|collector\\.json)\"|resolve\\(\"hardware\"\\)");
  static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void onlyTheRunFolderPackageNamesTheRunFolderFiles() throws IOException {
    List<String> bad = new ArrayList<>();
    for (Path root : List.of(MAIN, COLLECTOR)) {
      for (Path f : sources(root)) {
        if (relative(root, f).startsWith(RUNFOLDER)) continue;
        bad.addAll(fileNames(relative(root, f), Files.readString(f)));
      }
    }
    assertEquals(List.of(), bad, "open run-folder files through io.llmload.collector.runfolder.FileNames");
  }

  @Test
  void theRuleSeesAFileOpenedByName() {
    String planted = "class X {\n  // a comment may say \"run.json\"\n  Path p = dir.resolve(\"summary.json\");\n"
        + "  Path h = dir.resolve(\"hardware\").resolve(\"gpu.csv\");\n  String m = \"no run.json here\", n = \"a/b/host.csv\";\n}\n";
    assertEquals(4, fileNames("X.java", planted).size(), fileNames("X.java", planted).toString());
  }

  @Test
  void theCollectorImportsNoGatlingAndNoSuitePackageButItsOwn() throws IOException {
    List<String> bad = new ArrayList<>();
    for (Path f : sources(COLLECTOR)) {
      Matcher m = IMPORT.matcher(Files.readString(f));
      while (m.find()) {
        String imp = m.group(1);
        boolean foreign = imp.startsWith("io.gatling") || imp.startsWith("scala") || imp.startsWith("io.netty")
            || imp.startsWith("akka") || imp.startsWith("org.apache.pekko")
            || (imp.startsWith("io.llmload.") && !imp.startsWith("io.llmload.collector"));
        if (foreign) bad.add(relative(COLLECTOR, f) + " imports " + imp);
      }
    }
    assertTrue(sources(COLLECTOR).size() > 20, "collector sources found");
    assertEquals(List.of(), bad);
  }

  @Test
  void theRunFolderPackageNeedsOnlyTheJdkAndJackson() throws IOException {
    List<String> bad = new ArrayList<>();
    for (Path f : sources(COLLECTOR.resolve(RUNFOLDER))) {
      Matcher m = IMPORT.matcher(Files.readString(f));
      while (m.find()) {
        String imp = m.group(1);
        if (!(imp.startsWith("java.") || imp.startsWith("com.fasterxml.jackson.") || imp.startsWith("org.jspecify."))) {
          bad.add(f.getFileName() + " imports " + imp);
        }
      }
    }
    assertEquals(List.of(), bad);
  }

  /** docs/architecture.md names every package, in layers: none refers to a package listed below it. */
  @Test
  void architectureDocListsEveryPackageInItsLayer() throws IOException {
    List<String> order = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)`").matcher(Files.readString(Path.of("docs/architecture.md")));
    while (row.find()) order.add(row.group(1));
    List<String> bad = new ArrayList<>();
    Pattern ref = Pattern.compile("io\\.llmload\\.([a-z]+)\\b");
    for (Path root : List.of(MAIN, COLLECTOR)) {
      try (Stream<Path> dirs = Files.list(root.resolve("io/llmload"))) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          String pkg = d.getFileName().toString();
          if (!order.contains(pkg)) {
            bad.add(pkg + " is not in docs/architecture.md");
            continue;
          }
          for (Path f : sources(d)) {
            Matcher m = ref.matcher(Files.readString(f));
            while (m.find()) {
              String used = m.group(1);
              if (!used.equals(pkg) && order.indexOf(used) > order.indexOf(pkg)) {
                bad.add(relative(root, f) + " uses " + used + ", listed below " + pkg);
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }

  /**
   * Short classes: about 300 lines at most (320 allowed), the simulation base and the gate well
   * under. The classes listed were over before this rule and are left to the work on their
   * packages (wire formats, emulator); the list may only shrink.
   */
  @Test
  void classesStayShort() throws IOException {
    List<String> over = List.of();
    List<String> bad = new ArrayList<>();
    for (Path root : List.of(MAIN, COLLECTOR)) {
      for (Path f : sources(root)) {
        String rel = relative(root, f);
        long n = Files.readAllLines(f).size();
        long limit = rel.endsWith("sim/LlmSimulation.java") || rel.endsWith("gate/Gate.java") ? 250 : 320;
        if (n > limit && !over.contains(rel)) bad.add(rel + ": " + n + " lines");
      }
    }
    assertEquals(List.of(), bad);
  }

  /**
   * One name, one idea: no two classes share a simple name (report's histogram accumulator and the
   * gate's compared metrics were both "Metric"). The pairs listed predate the rule; the list may only shrink.
   */
  @Test
  void noTwoClassesShareAName() throws IOException {
    List<String> shared = List.of("Exchange.java", "RequestRecord.java");
    java.util.Map<String, List<String>> byName = new java.util.TreeMap<>();
    for (Path root : List.of(MAIN, COLLECTOR)) {
      for (Path f : sources(root)) {
        byName.computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>()).add(relative(root, f));
      }
    }
    List<String> bad = new ArrayList<>();
    byName.forEach((name, paths) -> {
      if (paths.size() > 1 && !shared.contains(name)) bad.add(String.join(" and ", paths));
    });
    assertEquals(List.of(), bad);
  }

  static List<String> fileNames(String file, String source) {
    List<String> out = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.startsWith("//") || t.startsWith("*") || t.startsWith("/*")) continue;
      Matcher m = FILE_BY_NAME.matcher(lines[i]);
      while (m.find()) out.add(file + ":" + (i + 1) + " " + m.group());
    }
    return out;
  }

  static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  static String relative(Path root, Path f) {
    return root.relativize(f).toString().replace('\\', '/');
  }
}
