package io.llmload.collector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Finding and running the vendors' command-line tools: fixed locale, bounded time, soft failure. */
public final class Tools {

  private Tools() {}

  /** The executable {@code name} on {@code searchPath} (PATH syntax; null = the environment's PATH), or null. */
  public static @Nullable Path find(String name, @Nullable String searchPath) {
    String sp = searchPath != null ? searchPath : System.getenv("PATH");
    if (sp == null) {
      return null;
    }
    for (String d : sp.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** A process builder with {@code LC_ALL=C} so numbers and dates print the same everywhere. */
  public static ProcessBuilder builder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("LC_ALL", "C");
    return pb;
  }

  /** Result of a one-shot command. */
  public record Output(int exitCode, String stdout, String stderr) {}

  /**
   * Runs a command to completion within {@code timeoutMs}.
   *
   * @throws IOException when it cannot start or does not finish in time (it is then killed)
   */
  public static Output run(List<String> command, long timeoutMs) throws IOException {
    Process p = builder(command).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try {
      if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within " + timeoutMs + " ms");
      }
      return new Output(p.exitValue(), out.get(1, TimeUnit.SECONDS), err.get(1, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(command.get(0) + ": cannot read its output: " + e, e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The first non-blank line of a text, cut to 200 characters, for a one-line reason. */
  public static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    for (String l : s.split("\\R")) {
      if (!l.isBlank()) {
        String t = l.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
      }
    }
    return "";
  }
}
