package io.llmload.collector;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * An append-only line file that can move to another folder while being written: a line is either in
 * the old file before the move or in the new one after it, never lost and never twice. Each line is
 * flushed as written so a killed run keeps what it sampled. Write errors are logged once and the line
 * dropped; they never reach the caller.
 */
final class LineFile {

  private final String fileName;
  private final @Nullable String header;
  private @Nullable Path path;
  private @Nullable BufferedWriter out;
  private boolean warned;

  LineFile(Path dir, String fileName, @Nullable String header) {
    this.fileName = fileName;
    this.header = header;
    open(dir);
  }

  private void open(Path dir) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve(fileName);
      boolean fresh = !Files.exists(p) || Files.size(p) == 0;
      BufferedWriter w =
          Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (fresh && header != null) {
        w.write(header);
        w.write('\n');
        w.flush();
      }
      path = p;
      out = w;
    } catch (IOException | RuntimeException e) {
      warn("cannot open " + dir.resolve(fileName), e);
      path = null;
      out = null;
    }
  }

  synchronized void append(String line) {
    BufferedWriter w = out;
    if (w == null) {
      return;
    }
    try {
      w.write(line);
      w.write('\n');
      w.flush();
    } catch (IOException e) {
      warn("cannot write " + path, e);
    }
  }

  synchronized @Nullable Path path() {
    return path;
  }

  /** Moves the file into {@code dir} and goes on writing there. */
  synchronized void moveTo(Path dir) {
    Path old = path;
    closeWriter();
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(fileName);
      if (old != null && Files.exists(old) && !sameFile(old, target)) {
        if (Files.exists(target) && Files.size(target) > 0) {
          appendBody(old, target);
          Files.delete(old);
        } else {
          Files.move(old, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException | RuntimeException e) {
      warn("cannot move " + old + " to " + dir, e);
    }
    open(dir);
  }

  private static boolean sameFile(Path a, Path b) throws IOException {
    return Files.exists(b) && Files.isSameFile(a, b);
  }

  /** Appends the old file's lines, less its header, to a target that already has a header. */
  private void appendBody(Path from, Path to) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8);
        BufferedWriter w =
            Files.newBufferedWriter(to, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
      String line;
      boolean first = true;
      while ((line = r.readLine()) != null) {
        if (first && header != null && line.equals(header)) {
          first = false;
          continue;
        }
        first = false;
        w.write(line);
        w.write('\n');
      }
    }
  }

  /** The lines (with the header first, if any) whose epoch, as given by {@code epochOf}, lies in [from, to]. */
  synchronized List<String> window(long from, long to, ToLongFunction<String> epochOf) {
    List<String> lines = new ArrayList<>();
    if (header != null) {
      lines.add(header);
    }
    Path p = path;
    if (p == null || !Files.exists(p)) {
      return lines;
    }
    // Streamed, not read whole: a standalone collector's files grow for as long as it runs. Appends take
    // this object's lock, so every line read here is complete.
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String line;
      boolean first = true;
      while ((line = r.readLine()) != null) {
        if (first && header != null) {
          first = false;
          continue;
        }
        first = false;
        long t = epochOf.applyAsLong(line);
        if (t >= from && t <= to) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      warn("cannot read " + p, e);
    }
    return lines;
  }

  synchronized void close() {
    closeWriter();
  }

  private void closeWriter() {
    BufferedWriter w = out;
    out = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        warn("cannot close " + path, e);
      }
    }
  }

  private void warn(String what, Exception e) {
    if (!warned) {
      warned = true;
      // looked up here, not at class init: the first lookup costs ~0.4 s on a cold JVM, which start() must not pay
      System.getLogger(LineFile.class.getName()).log(Level.WARNING, "hardware collector: " + what + ": " + e);
    }
  }
}
