package io.llmload.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the TCP connections of another process, as {@code ss -tnp} shows them, by matching the
 * socket inodes of {@code /proc/<pid>/fd} with {@code /proc/net/tcp} and {@code tcp6}. Linux only.
 */
public final class SocketWatch implements AutoCloseable {
  private final long pid;
  private final Set<String> remotes = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean stop;

  public SocketWatch(long pid) {
    this.pid = pid;
    this.thread = new Thread(this::loop, "socket-watch");
    thread.setDaemon(true);
    thread.start();
  }

  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  /** Remote endpoints seen so far, as {@code address:port}. */
  public Set<String> remotes() {
    return Set.copyOf(remotes);
  }

  private void loop() {
    while (!stop) {
      try {
        Set<String> inodes = socketInodes();
        if (!inodes.isEmpty()) {
          scan(Path.of("/proc/net/tcp"), inodes, false);
          scan(Path.of("/proc/net/tcp6"), inodes, true);
        }
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // the process may be gone between two reads
      }
    }
  }

  private Set<String> socketInodes() throws IOException {
    Set<String> out = new HashSet<>();
    Path fd = Path.of("/proc/" + pid + "/fd");
    if (!Files.isDirectory(fd)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fd)) {
      for (Path p : ds) {
        try {
          String t = Files.readSymbolicLink(p).toString();
          if (t.startsWith("socket:[")) out.add(t.substring(8, t.length() - 1));
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return out;
  }

  private void scan(Path table, Set<String> inodes, boolean v6) throws IOException {
    if (!Files.isReadable(table)) return;
    List<String> lines = Files.readAllLines(table);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length < 10 || !inodes.contains(f[9])) continue;
      String remote = f[2];
      if (remote.endsWith(":0000") && (remote.startsWith("00000000:") || remote.startsWith("00000000000000000000000000000000:"))) {
        continue; // a listening socket
      }
      remotes.add(decode(remote, v6));
    }
  }

  /** {@code 0100007F:1F90} → {@code 127.0.0.1:8080}; IPv6 as hex words. */
  static String decode(String hexAddrPort, boolean v6) {
    String[] ap = hexAddrPort.split(":");
    int port = Integer.parseInt(ap[1], 16);
    String a = ap[0];
    if (!v6) {
      long x = Long.parseLong(a, 16);
      return (x & 0xff) + "." + ((x >> 8) & 0xff) + "." + ((x >> 16) & 0xff) + "." + ((x >> 24) & 0xff) + ":" + port;
    }
    if (a.equals("0000000000000000FFFF0000" + a.substring(24)) ) {
      return decode(a.substring(24) + ":" + ap[1], false); // IPv4-mapped
    }
    if (a.equals("00000000000000000000000001000000")) return "[::1]:" + port;
    return "[" + a + "]:" + port;
  }

  public static boolean loopback(String remote) {
    return remote.startsWith("127.") || remote.startsWith("[::1]");
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(1000);
  }
}
