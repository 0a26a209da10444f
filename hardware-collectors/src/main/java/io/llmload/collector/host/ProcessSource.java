package io.llmload.collector.host;

import io.llmload.collector.ProcessSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import io.llmload.collector.UnsupportedSourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * The inference server's processes, by PID list or by a regex on process name or command line: CPU
 * (percent of one core, above 100 on several cores), resident memory and threads per process. A regex
 * is re-matched every few seconds so a server that starts or forks workers later is picked up; the
 * full process scan is the costly part, so it is not done every sample. Command lines are recorded
 * once per process, secrets redacted.
 */
public final class ProcessSource implements Source {

  private static final long RESCAN_MS = 10_000;
  private static final int MAX_COMMAND = 1_000;
  private static final double MIB = 1048576.0;

  private final long periodMs;
  private final Clock clock;
  private final @Nullable List<Integer> pids;
  private final @Nullable Pattern pattern;
  private final int selfPid = (int) ProcessHandle.current().pid();
  private @Nullable OperatingSystem os;
  private @Nullable SampleSink sink;
  private final Map<Integer, OSProcess> prior = new LinkedHashMap<>();
  private final Path proc;
  private boolean lean;
  private final Map<Integer, ProcStat> leanPrior = new LinkedHashMap<>();
  private long leanPriorNanos;
  private final List<Map<String, Object>> seen = new ArrayList<>();
  private long lastScan;
  private boolean scanned;
  private long samples;

  public ProcessSource(long periodMs, Clock clock, @Nullable List<Integer> pids, @Nullable Pattern pattern) {
    this(periodMs, clock, pids, pattern, Path.of("/proc"));
  }

  ProcessSource(long periodMs, Clock clock, @Nullable List<Integer> pids, @Nullable Pattern pattern, Path proc) {
    this.proc = proc;
    this.periodMs = periodMs;
    this.clock = clock;
    this.pids = pids;
    this.pattern = pattern;
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public void open(SampleSink sink) throws Exception {
    if (pids == null && pattern == null) {
      throw new UnsupportedSourceException("no server process given (collector.process)");
    }
    try {
      os = new SystemInfo().getOperatingSystem();
    } catch (UnsupportedOperationException | LinkageError e) {
      throw new UnsupportedSourceException("OSHI does not support this platform: " + e);
    }
    this.sink = sink;
    lean = ProcStat.available(proc);
    if (pids != null) {
      for (int pid : pids) {
        OSProcess p = os.getProcess(pid);
        if (p != null) {
          track(p);
        }
      }
      if (prior.isEmpty()) {
        throw new UnsupportedSourceException("no process with PID " + pids);
      }
    }
  }

  private void track(OSProcess p) {
    prior.put(p.getProcessID(), p);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("pid", p.getProcessID());
    info.put("name", p.getName());
    String cmd = Redactor.redact(p.getCommandLine());
    // a JVM's class path alone can run to tens of kilobytes
    info.put("command_line", cmd.length() > MAX_COMMAND ? cmd.substring(0, MAX_COMMAND) + "..." : cmd);
    synchronized (seen) {
      seen.add(info);
    }
  }

  /** The processes followed so far: pid, name, redacted command line. */
  public List<Map<String, Object>> processes() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void poll() {
    OperatingSystem o = os;
    SampleSink s = sink;
    if (o == null || s == null) {
      return;
    }
    long now = clock.millis();
    java.util.Set<Integer> fresh = new java.util.HashSet<>();
    if (pattern != null && (!scanned || now - lastScan >= RESCAN_MS)) {
      scanned = true;
      lastScan = now;
      for (int pid : matchingPids()) {
        if (prior.containsKey(pid)) {
          continue;
        }
        OSProcess p = o.getProcess(pid);
        if (p == null) {
          continue;
        }
        track(p);
        fresh.add(pid);
        // first sight: no previous ticks, so no CPU figure yet
        s.process(new ProcessSample(now, pid, p.getName(), null, p.getResidentMemory() / MIB, p.getThreadCount()));
        samples++;
      }
    }
    if (lean) {
      sampleLean(s, now, fresh);
      return;
    }
    List<Integer> gone = new ArrayList<>();
    for (Map.Entry<Integer, OSProcess> e : prior.entrySet()) {
      if (fresh.contains(e.getKey())) {
        continue;
      }
      OSProcess before = e.getValue();
      OSProcess cur = o.getProcess(e.getKey());
      if (cur == null || cur.getStartTime() != before.getStartTime()) {
        gone.add(e.getKey());
        continue;
      }
      double load = cur.getProcessCpuLoadBetweenTicks(before);
      s.process(new ProcessSample(now, cur.getProcessID(), cur.getName(), load >= 0 ? load * 100.0 : null,
          cur.getResidentMemory() / MIB, cur.getThreadCount()));
      samples++;
      e.setValue(cur);
    }
    gone.forEach(prior::remove);
  }

  /** Linux: CPU % from the change in /proc ticks over the change in monotonic time since the last sample. */
  private void sampleLean(SampleSink s, long now, java.util.Set<Integer> fresh) {
    long nanos = System.nanoTime();
    double seconds = leanPrior.isEmpty() ? 0 : (nanos - leanPriorNanos) / 1e9;
    List<Integer> gone = new ArrayList<>();
    for (Integer pid : prior.keySet()) {
      ProcStat cur;
      try {
        cur = ProcStat.read(proc, pid);
      } catch (IOException | RuntimeException e) {
        cur = null;
      }
      ProcStat before = leanPrior.get(pid);
      if (cur == null || (before != null && before.startTicks() != cur.startTicks())) {
        gone.add(pid);
        continue;
      }
      leanPrior.put(pid, cur);
      if (fresh.contains(pid)) {
        continue;
      }
      Double pct = before == null || seconds <= 0
          ? null
          : (cur.cpuTicks() - before.cpuTicks()) / ProcStat.TICKS_PER_SECOND / seconds * 100.0;
      s.process(new ProcessSample(now, pid, cur.name(), pct, cur.rssMib(), cur.threads()));
      samples++;
    }
    leanPriorNanos = nanos;
    for (Integer pid : gone) {
      prior.remove(pid);
      leanPrior.remove(pid);
    }
  }

  /**
   * PIDs whose executable name or command line matches. The JDK's process list reads only each
   * process's command line, a fraction of what a full OSHI process scan reads.
   */
  private List<Integer> matchingPids() {
    return pidsMatching(pattern, selfPid);
  }

  /** PIDs other than {@code selfPid} whose executable name or command line matches {@code pt}. */
  public static List<Integer> pidsMatching(@Nullable Pattern pt, long selfPid) {
    List<Integer> out = new ArrayList<>();
    if (pt == null) {
      return out;
    }
    ProcessHandle.allProcesses().forEach(ph -> {
      if (ph.pid() == selfPid) {
        return;
      }
      ProcessHandle.Info info = ph.info();
      String cmd = info.command().orElse("");
      String name = cmd.substring(cmd.lastIndexOf('/') + 1);
      if ((!name.isEmpty() && pt.matcher(name).find()) || info.commandLine().map(c -> pt.matcher(c).find()).orElse(false)) {
        out.add((int) ph.pid());
      }
    });
    return out;
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void close() {}
}
