package io.llmload.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the image built by Jib on this machine, with the host's network (loopback is the host's):
 * with podman as root where it works, else unpacked with umoci and run in a chroot. A container's
 * results folder is {@link #results()}; its processes are reachable through {@link #pid(Process)}.
 */
abstract class ImageRunner implements AutoCloseable {
  final Path results;

  ImageRunner(Path results) {
    this.results = results;
  }

  Path results() {
    return results;
  }

  /** Starts the image's entry point with these arguments and environment; output goes to {@code log}. */
  abstract Process start(String name, List<String> args, Map<String, String> env, Path log) throws IOException;

  /** The pid of the image's entry point (the JVM of ImageMain) on this machine, 0 while unknown. */
  abstract long pid(String name, Process p) throws IOException, InterruptedException;

  abstract String describe();

  @Override
  public void close() throws IOException, InterruptedException {}

  static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, cmd))) return true;
    }
    return false;
  }

  static int exec(Path log, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** podman, as root: the image loaded from Jib's tar, run with --network=host. */
  static final class Podman extends ImageRunner {
    final String image;
    final List<String> flags = new ArrayList<>();

    Podman(String image, Path results) {
      super(results);
      this.image = image;
      // Lowered limits: a VM may forbid podman's default RLIMIT_NOFILE/NPROC (above its own); runc
      // where installed, as crun needs a pure cgroup v2 host.
      if (onPath("runc")) flags.addAll(List.of("--runtime", "runc"));
      flags.addAll(List.of("--ulimit", "nofile=16384:16384", "--ulimit", "nproc=32768:32768"));
    }

    /** Loads the tar and runs {@code java -version} in it: null when podman cannot run containers here. */
    static Podman tryLoad(Path tar, String image, Path results, Path log) throws IOException, InterruptedException {
      if (!onPath("podman")) return null;
      if (exec(log, "podman", "load", "-i", tar.toString()) != 0) return null;
      Podman p = new Podman(image, results);
      List<String> probe = new ArrayList<>(List.of("podman", "run", "--rm", "--network=host"));
      probe.addAll(p.flags);
      probe.addAll(List.of("--entrypoint", "java", image, "-version"));
      return exec(log, probe.toArray(String[]::new)) == 0 ? p : null;
    }

    @Override
    Process start(String name, List<String> args, Map<String, String> env, Path log) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm", "--replace", "--name", name, "--network=host"));
      cmd.addAll(flags);
      cmd.addAll(List.of("-v", results + ":/results"));
      env.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
      cmd.add(image);
      cmd.addAll(args);
      return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    long pid(String name, Process p) throws IOException, InterruptedException {
      Process q = new ProcessBuilder("podman", "inspect", "-f", "{{.State.Pid}}", name).redirectErrorStream(true).start();
      String out = new String(q.getInputStream().readAllBytes()).trim();
      q.waitFor(10, TimeUnit.SECONDS);
      return out.matches("\\d+") ? Long.parseLong(out) : 0;
    }

    @Override
    String describe() {
      return "podman " + String.join(" ", flags);
    }

    @Override
    public void close() throws IOException, InterruptedException {
      exec(Files.createTempFile("podman-rmi", ".log"), "podman", "rmi", "-f", image);
    }
  }

  /** umoci unpacks the image (as an OCI layout), the entry point runs in a chroot of its root file system. */
  static final class Chroot extends ImageRunner {
    final Path rootfs;
    final List<String> entrypoint = new ArrayList<>();
    final List<String> env = new ArrayList<>();
    boolean mounted;

    private Chroot(Path bundle) throws IOException {
      super(bundle.resolve("rootfs/results"));
      this.rootfs = bundle.resolve("rootfs");
      JsonNode process = new ObjectMapper().readTree(bundle.resolve("config.json").toFile()).path("process");
      process.path("args").forEach(a -> entrypoint.add(a.asText()));
      process.path("env").forEach(e -> env.add(e.asText()));
    }

    /** Jib's OCI tar unpacked by umoci into {@code work}: null when umoci or chroot cannot be used here. */
    static Chroot tryUnpack(Path ociTar, String image, Path work, Path log) throws IOException, InterruptedException {
      if (!onPath("umoci") || !onPath("chroot") || !"root".equals(System.getProperty("user.name"))) return null;
      Path layout = work.resolve("oci");
      Files.createDirectories(layout);
      if (exec(log, "tar", "-xf", ociTar.toString(), "-C", layout.toString()) != 0) return null;
      Path bundle = work.resolve("bundle");
      if (exec(log, "umoci", "unpack", "--image", layout + ":" + image, bundle.toString()) != 0) return null;
      Chroot c = new Chroot(bundle);
      Files.createDirectories(c.results);
      // What a runtime gives a container: /proc, and the device nodes the JVM opens (made here, not
      // the host's /dev bound in, so nothing of the host is under the bundle but /proc).
      Path dev = c.rootfs.resolve("dev");
      Files.createDirectories(dev);
      for (String[] d : new String[][] {{"null", "3"}, {"zero", "5"}, {"random", "8"}, {"urandom", "9"}}) {
        if (!Files.exists(dev.resolve(d[0]))) exec(log, "mknod", "-m", "666", dev.resolve(d[0]).toString(), "c", "1", d[1]);
      }
      c.mounted = exec(log, "mount", "-t", "proc", "proc", c.rootfs.resolve("proc").toString()) == 0;
      if (!c.mounted || exec(log, "chroot", c.rootfs.toString(), "java", "-version") != 0) {
        c.close();
        return null;
      }
      return c;
    }

    @Override
    Process start(String name, List<String> args, Map<String, String> extra, Path log) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("chroot", rootfs.toString(), "/usr/bin/env", "-i"));
      cmd.addAll(env);
      extra.forEach((k, v) -> cmd.add(k + "=" + v));
      cmd.addAll(entrypoint);
      cmd.addAll(args);
      return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    long pid(String name, Process p) {
      // chroot execs env, which execs java: the same process
      return p.pid();
    }

    @Override
    String describe() {
      return "umoci + chroot";
    }

    @Override
    public void close() throws IOException, InterruptedException {
      Path log = Files.createTempFile("umount", ".log");
      if (mounted) exec(log, "umount", rootfs.resolve("proc").toString());
      mounted = false;
    }
  }
}
