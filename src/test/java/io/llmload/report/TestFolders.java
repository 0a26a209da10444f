package io.llmload.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Locating test inputs: committed run folders and the shared real captures. */
final class TestFolders {
  private TestFolders() {}

  /** A copy of src/test/resources/runs/NAME, so tests never write into the committed fixture. */
  static Path copyOfRun(String name, Path tmp) throws IOException {
    Path src = Path.of("src", "test", "resources", "runs", name);
    if (!Files.isDirectory(src)) throw new IllegalStateException("missing test fixture " + src.toAbsolutePath());
    Path dst = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(src)) {
      s.forEach(p -> {
        try {
          Path t = dst.resolve(src.relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(t);
          else Files.copy(p, t);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return dst;
  }

  /** src/test/resources/fixtures from the Maven basedir; fails with a clear message when it is absent. */
  static Path sharedFixtures() {
    Path p = Path.of("src", "test", "resources", "fixtures");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared fixtures not found at " + p.toAbsolutePath()
          + " (the real captures committed under src/test/resources/fixtures; run from the repository root)");
    }
    return p;
  }
}
