package io.llmload.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.testing.SocketWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The image as the cluster runs it: Jib builds it from this POM (mvn jib:buildTar, no daemon), two
 * shard containers run an Indexed Job's two pods (JOB_COMPLETION_INDEX 0 and 1, a common startAt)
 * against the emulator on this machine's loopback, then the merge container waits for both and
 * merges. Every TCP connection of the containers' processes is watched: loopback only. Runs with
 * podman where it can, else umoci + chroot; under CI=true neither working is a failure.
 */
class ContainerImageIT {
  static final Path WORK = Path.of("target/image-it");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shardsAndMergeRunInTheImageAgainstLoopbackOnly() throws Exception {
    String version = ImageConfigTest.pomVersion();
    String image = "llm-load-suite:" + version;
    Path base = Path.of(System.getProperty("user.home"), ".cache/llm-load-suite/image-base/debian-bookworm-jre17-r1.tar");
    need(Files.isRegularFile(base), "the image's base " + base + " is missing: run scripts/image-base.sh (.ci/setup does)");
    need(SocketWatch.supported(), "needs Linux /proc to watch sockets");
    clean(WORK);
    Files.createDirectories(WORK);
    Path log = WORK.resolve("build.log");
    Path tar = WORK.resolve("image.tar").toAbsolutePath();
    long t0 = System.nanoTime();
    // The POM's own image build; OCI format, which podman loads and umoci unpacks.
    int built = ImageRunner.exec(log, "mvn", "-B", "-q", "jib:buildTar", "-Djib.container.format=OCI",
        "-Djib.outputPaths.tar=" + tar);
    assertEquals(0, built, "jib:buildTar failed: " + Files.readString(log));
    long buildMs = (System.nanoTime() - t0) / 1_000_000;

    Path results = WORK.resolve("results").toAbsolutePath();
    Files.createDirectories(results);
    // -Dimage.it.runner=chroot tries the fallback first (it is what a VM without podman gets)
    boolean chrootFirst = "chroot".equals(System.getProperty("image.it.runner"));
    ImageRunner runner = chrootFirst ? null : ImageRunner.Podman.tryLoad(tar, image, results, log);
    if (runner == null) runner = ImageRunner.Chroot.tryUnpack(tar, image, WORK.toAbsolutePath(), log);
    need(runner != null, "neither podman nor umoci + chroot can run the image here (" + Files.readString(log).lines()
        .filter(l -> l.contains("rror")).limit(3).collect(Collectors.joining("; ")) + ")");
    try (ImageRunner r = runner; Emulator emulator = Emulator.start(EmulatorConfig.defaults().profile("fixed-rate"))) {
      // Both containers' JVMs up and checked by then, on a shared 2-core machine (12 s was too short).
      long startAt = System.currentTimeMillis() + 20_000;
      List<String> args = List.of("-Dshards=2", "-DstartAt=" + startAt, "-Dtarget=" + emulator.baseUrl(),
          "-Dusers=2", "-Dduration=3s", "-DmaxTokens=8", "-Dconsole.period=0s", "-Dllmload.resultsDir=/results/load");
      Set<String> remotes = ConcurrentHashMap.newKeySet();
      List<Process> shards = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        shards.add(r.start("llm-load-it-shard-" + k, args, Map.of("JOB_COMPLETION_INDEX", String.valueOf(k)),
            WORK.resolve("shard-" + k + ".log")));
      }
      Process merge = r.start("llm-load-it-merge", List.of("merge", "--wait", "2m",
          // how close the starts are is ShardedRunTest's subject; two containers on 2 busy cores vary
          "--start-tolerance", "5s", "-Dllmload.resultsDir=/results/load"),
          Map.of("SHARDS", "2"), WORK.resolve("merge.log"));
      Map<String, Process> all = new HashMap<>();
      for (int k = 0; k < 2; k++) all.put("llm-load-it-shard-" + k, shards.get(k));
      all.put("llm-load-it-merge", merge);
      watchUntilDone(r, all, remotes, 150);
      for (int k = 0; k < 2; k++) {
        assertEquals(0, shards.get(k).exitValue(), "shard " + k + ": " + tail(WORK.resolve("shard-" + k + ".log")));
      }
      String mergeLog = Files.readString(WORK.resolve("merge.log"));
      assertEquals(0, merge.exitValue(), "merge (" + r.describe() + "): " + tail(WORK.resolve("merge.log")));
      assertTrue(mergeLog.contains("merge: 2 of 2 shards' run folders"), mergeLog);

      Path root = r.results().resolve("load");
      assertEquals("0", Files.readString(root.resolve("shard-0.exit")).trim());
      assertEquals("0", Files.readString(root.resolve("shard-1.exit")).trim());
      JsonNode run = JSON.readTree(root.resolve("merged/run.json").toFile());
      assertTrue(run.path("complete").asBoolean(), run.toString());
      List<JsonNode> records = new ArrayList<>();
      for (String l : Files.readAllLines(root.resolve("merged/requests.jsonl"))) {
        if (!l.isBlank()) records.add(JSON.readTree(l));
      }
      long merged = records.size();
      // reference: the requests the emulator itself served, counted on its side of the socket
      assertEquals(emulator.groundTruths().size(), merged, "merged records = requests the emulator served");
      assertEquals(Set.of("0/2", "1/2"), records.stream().map(x -> x.path("shard").asText()).collect(Collectors.toSet()),
          "both shards' records, each with its JOB_COMPLETION_INDEX");
      assertTrue(Files.isRegularFile(root.resolve("merged/summary.json")));
      assertTrue(mergeLog.contains("# "), "the merged report.md is in the merge's log");

      Set<String> outside = remotes.stream().filter(x -> !SocketWatch.loopback(x)).collect(Collectors.toSet());
      assertTrue(outside.isEmpty(), "connections outside loopback: " + outside);
      assertTrue(remotes.contains("127.0.0.1:" + emulator.port()), "the watch saw the shards' connections: " + remotes);
      System.out.printf("[image-it] %s: jib:buildTar %d ms, whole test %d ms, %d requests merged%n",
          r.describe(), buildMs, (System.nanoTime() - t0) / 1_000_000, merged);
    }
  }

  /** Watches the sockets of every process of the containers until all have ended (bounded). */
  private static void watchUntilDone(ImageRunner r, Map<String, Process> running, Set<String> remotes, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<Long, SocketWatch> watches = new HashMap<>();
    Map<String, Long> pids = new HashMap<>();
    try {
      while (running.values().stream().anyMatch(Process::isAlive)) {
        if (System.nanoTime() > deadline) {
          running.values().forEach(Process::destroyForcibly);
          fail("the containers did not end within " + seconds + " s (" + r.describe() + ")");
        }
        for (var e : running.entrySet()) {
          if (!e.getValue().isAlive()) continue;
          long pid = pids.getOrDefault(e.getKey(), 0L);
          if (pid <= 0) pid = r.pid(e.getKey(), e.getValue());
          if (pid <= 0) continue;
          pids.put(e.getKey(), pid);
          ProcessHandle.of(pid).ifPresent(h -> {
            watches.computeIfAbsent(h.pid(), SocketWatch::new);
            h.descendants().forEach(d -> watches.computeIfAbsent(d.pid(), SocketWatch::new));
          });
        }
        Thread.sleep(50);
      }
    } finally {
      for (SocketWatch w : watches.values()) {
        w.close();
        remotes.addAll(w.remotes());
      }
    }
  }

  private static void need(boolean ok, String why) {
    if (ok) return;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI=true requires it");
    Assumptions.assumeTrue(false, why);
  }

  /** Removes an earlier run's folder, never while something (a chroot's /proc) is mounted under it. */
  private static void clean(Path dir) throws IOException, InterruptedException {
    String abs = dir.toAbsolutePath().normalize().toString();
    if (Files.readString(Path.of("/proc/mounts")).contains(" " + abs + "/")) {
      ImageRunner.exec(Files.createTempFile("umount", ".log"), "umount", abs + "/bundle/rootfs/proc");
    }
    if (Files.readString(Path.of("/proc/mounts")).contains(" " + abs + "/")) fail("something is still mounted under " + abs);
    ImageRunner.exec(Files.createTempFile("rm", ".log"), "rm", "-rf", "--one-file-system", abs);
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.length() < 4000 ? s : s.substring(s.length() - 4000);
  }
}
