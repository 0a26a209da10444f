package io.llmload.collector.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One Linux process's CPU ticks, threads and resident memory from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}: two small reads, where a full OSHI process update reads half a dozen files.
 * That matters at one sample per second per server process.
 */
record ProcStat(int pid, String name, long cpuTicks, int threads, @Nullable Double rssMib, long startTicks) {

  /** Clock ticks per second of {@code /proc/<pid>/stat} times: USER_HZ, 100 on every mainstream Linux ABI. */
  static final double TICKS_PER_SECOND = 100.0;

  static boolean available(Path proc) {
    return Files.isReadable(proc.resolve("self").resolve("stat"));
  }

  /** The process's figures, or null if it is gone. */
  static @Nullable ProcStat read(Path proc, int pid) throws IOException {
    String stat;
    String status;
    try {
      stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
      status = Files.readString(proc.resolve(Integer.toString(pid)).resolve("status"));
    } catch (NoSuchFileException e) {
      return null;
    }
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IOException("unexpected /proc/" + pid + "/stat: " + stat);
    }
    String name = stat.substring(open + 1, close);
    // fields after the name, from field 3 (state); utime is field 14, stime 15, num_threads 20, starttime 22
    String[] f = stat.substring(close + 2).trim().split(" ");
    long utime = Long.parseLong(f[14 - 3]);
    long stime = Long.parseLong(f[15 - 3]);
    int threads = Integer.parseInt(f[20 - 3]);
    long start = Long.parseLong(f[22 - 3]);
    Double rss = null;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String v = line.substring(6).trim();
        int sp = v.indexOf(' ');
        rss = Long.parseLong(sp < 0 ? v : v.substring(0, sp)) / 1024.0; // kB
        break;
      }
    }
    return new ProcStat(pid, name, utime + stime, threads, rss, start);
  }
}
