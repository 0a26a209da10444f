package io.llmload.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, driven from the command line. Absent on a developer machine the
 * calling test is skipped with a reason; under CI=true its absence fails the test.
 */
final class Chromium {
  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  static Chromium require() {
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return new Chromium(p);
      }
    }
    String msg = "headless Chromium not found on PATH (install Debian's package: apt-get install -y chromium)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + "; CI=true requires it");
    Assumptions.abort(msg + "; skipping the browser check");
    return null;
  }

  /** The DOM after the page's scripts ran. */
  String dumpDom(Path html, Path profile) throws IOException, InterruptedException {
    return run(html, profile, List.of("--dump-dom"));
  }

  void screenshot(Path html, Path profile, Path png, int width, int height) throws IOException, InterruptedException {
    run(html, profile, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars"));
  }

  private String run(Path html, Path profile, List<String> extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=5000"));
    cmd.addAll(extra);
    cmd.add(html.toAbsolutePath().toUri().toString());
    Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      fail("chromium did not finish within 90 s: " + cmd);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
