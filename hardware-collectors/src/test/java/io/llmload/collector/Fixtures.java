package io.llmload.collector;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real captures, found relative to the repository root (the Maven basedir). */
final class Fixtures {

  private Fixtures() {}

  static Path root() {
    Path p = Path.of("src", "test", "resources", "fixtures").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      fail("fixtures not found at " + p + ": run the tests from the repository root (the real captures "
          + "are committed under src/test/resources/fixtures)");
    }
    return p;
  }

  static Path h100(String name) {
    Path p = root().resolve("gpu").resolve("nvidia-h100").resolve(name);
    if (!Files.exists(p)) {
      fail("fixture missing: " + p);
    }
    return p;
  }

  static Path streams(String name) {
    Path p = root().resolve("streams").resolve(name);
    if (!Files.exists(p)) {
      fail("fixture missing: " + p);
    }
    return p;
  }
}
