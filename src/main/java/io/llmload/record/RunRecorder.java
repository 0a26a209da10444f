package io.llmload.record;

import io.llmload.collector.runfolder.FileNames;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends request records to {@code requests.jsonl} from one writer thread, so Gatling's threads
 * never touch the disk. Records are written into a staging folder from the first request on, and
 * the files move into Gatling's run folder as soon as it exists (a rename: the open file keeps
 * receiving lines). A killed run keeps every line flushed before the kill.
 */
public final class RunRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
  // The mapper's factory: generators can then write the nested maps of the `server` field.
  private static final JsonFactory JSON = new com.fasterxml.jackson.databind.ObjectMapper().getFactory();
  private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Path resultsDir;
  private final Path staging;
  private final RunFolderLocator locator;
  private final ConcurrentLinkedQueue<RequestRecord> queue = new ConcurrentLinkedQueue<>();
  private final OutputStream out;
  private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(2048);
  private final Thread writer;
  private final List<Consumer<Path>> onLocated = new ArrayList<>();
  private volatile @Nullable Path runFolder;
  private volatile boolean stopping;
  private volatile @Nullable Consumer<RequestRecord> tap;
  private long written;

  public RunRecorder(Path resultsDir, String simulationClass) throws IOException {
    this.resultsDir = resultsDir;
    Files.createDirectories(resultsDir);
    this.staging =
        Files.createTempDirectory(resultsDir, ".staging-" + simpleName(simulationClass) + "-");
    this.locator = new RunFolderLocator(resultsDir, simulationClass);
    this.out =
        new BufferedOutputStream(
            new FileOutputStream(staging.resolve(FileNames.REQUESTS).toFile(), true), 1 << 16);
    this.writer = new Thread(this::loop, "llm-run-recorder");
    writer.setDaemon(true);
    writer.start();
  }

  /** Where files go until the run folder is known; collectors may write under it. */
  public Path staging() {
    return staging;
  }

  /** The run folder, or null until Gatling has created it. */
  public @Nullable Path runFolder() {
    return runFolder;
  }

  /** Call at the end of the simulation's {@code before()}. */
  public void armLocator(long epochMs) {
    locator.armAt(epochMs);
  }

  /** Runs {@code action} with the run folder once it is known (at once if it already is). */
  public synchronized void whenLocated(Consumer<Path> action) {
    if (runFolder != null) {
      action.accept(runFolder);
    } else {
      onLocated.add(action);
    }
  }

  /** Queues a record; never blocks, never throws. */
  public void append(RequestRecord r) {
    String sh = shard;
    if (sh != null && r.shard == null) r.shard = sh;
    Consumer<RequestRecord> t = tap;
    if (t != null) t.accept(r);
    queue.add(r);
  }

  /** Also hands every record to {@code t} as it is queued (the live metrics); {@code t} must not throw. */
  public void tap(@Nullable Consumer<RequestRecord> t) {
    tap = t;
  }

  /** Hands every record to {@code t} as well as to the tap already set (a capacity search judging live). */
  public synchronized void addTap(Consumer<RequestRecord> t) {
    Consumer<RequestRecord> before = tap;
    tap = before == null ? t : r -> {
      before.accept(r);
      t.accept(r);
    };
  }

  private volatile @Nullable String shard;

  /** Every record appended from now on carries this generator's shard ("i/N"). */
  public void shard(@Nullable String label) {
    shard = label;
  }

  /** Lines written so far. */
  public synchronized long written() {
    return written;
  }

  /** Waits up to {@code timeoutMs} for the run folder (used from {@code after()}). */
  public @Nullable Path awaitRunFolder(long timeoutMs) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (runFolder == null && System.nanoTime() < end) {
      tryLocate();
      if (runFolder == null) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return runFolder;
  }

  private void loop() {
    while (!stopping) {
      try {
        drain();
        tryLocate();
      } catch (RuntimeException e) {
        LOG.error("run recorder: {}", e.toString());
      }
      LockSupport.parkNanos(FLUSH_NANOS);
    }
    drain();
  }

  private synchronized void drain() {
    RequestRecord r;
    boolean any = false;
    try {
      while ((r = queue.poll()) != null) {
        line.reset();
        try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
          r.write(g);
        } catch (IOException | RuntimeException e) {
          // One unserialisable record must not cost the others, nor leave half a line.
          LOG.error("request record {} could not be written: {}", r.id, e.toString());
          continue;
        }
        line.write('\n');
        line.writeTo(out);
        written++;
        any = true;
      }
      if (any) {
        out.flush();
      }
    } catch (IOException e) {
      LOG.error("cannot append to requests.jsonl: {}", e.getMessage());
    }
  }

  private synchronized void tryLocate() {
    if (runFolder != null) return;
    Path found = locator.find();
    if (found == null) return;
    try {
      moveStagedFiles(found);
      runFolder = found;
      Files.writeString(resultsDir.resolve("LATEST"), found.getFileName() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.error("cannot move records into {}: {}", found, e.getMessage());
      return;
    }
    for (Consumer<Path> c : onLocated) {
      try {
        c.accept(found);
      } catch (RuntimeException e) {
        LOG.warn("run-folder hand-off failed: {}", e.toString());
      }
    }
    onLocated.clear();
  }

  private void moveStagedFiles(Path target) throws IOException {
    try (Stream<Path> s = Files.list(staging)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isDirectory(p)) continue; // sub-folders (hardware/) are handed off by their owners
        Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  /** Writes a small file into the run folder, or into staging until it exists. */
  public synchronized void writeFile(String name, byte[] content) throws IOException {
    Path dir = runFolder != null ? runFolder : staging;
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.warn("closing requests.jsonl: {}", e.getMessage());
      }
      if (runFolder != null) {
        deleteIfEmpty(staging);
      }
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) Files.delete(dir);
    } catch (IOException e) {
      // leave it: it holds something we did not move
    }
  }

  private static String simpleName(String cls) {
    return cls.substring(cls.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
