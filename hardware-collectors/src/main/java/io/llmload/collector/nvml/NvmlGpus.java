package io.llmload.collector.nvml;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.llmload.collector.UnsupportedSourceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * NVML loaded and initialised once for the session's NVML sources, with each GPU's handle, index, UUID
 * and name. {@link #acquire()} and {@link #release()} pair {@code nvmlInit_v2} with {@code nvmlShutdown}.
 * NVML is thread-safe, so the fast and energy threads share it.
 */
public final class NvmlGpus {

  /** One GPU: handle valid between init and shutdown; samples are keyed on the UUID. */
  public record Gpu(int index, Pointer handle, String uuid, String name) {}

  private final @Nullable String library;
  private final java.util.function.@Nullable Supplier<java.util.Set<Integer>> serverPids;
  private volatile @Nullable String selectionNote;
  private @Nullable NvmlLibrary nvml;
  private List<Gpu> gpus = List.of();
  private int users;
  private @Nullable String unsupported;
  private final java.util.concurrent.CountDownLatch decided = new java.util.concurrent.CountDownLatch(1);
  private @Nullable Runnable onFailure;
  private boolean failed;

  /** Runs once, on the first {@link #failed} call: the session starts the nvidia-smi fallback then. */
  public synchronized void onFailure(Runnable r) {
    onFailure = r;
  }

  /** NVML stopped giving values mid-run (a lost GPU, a driver gone): the fallback should take over. */
  public void failed(String reason) {
    Runnable r;
    synchronized (this) {
      if (failed) {
        return;
      }
      failed = true;
      r = onFailure;
    }
    if (r != null) {
      r.run();
    }
  }

  /** @param library a name or absolute path; null tries {@code libnvidia-ml.so.1}, then {@code nvidia-ml} */
  public NvmlGpus(@Nullable String library) {
    this(library, null);
  }

  /**
   * @param serverPids the watched server's process ids, or null: when given, only the GPUs on which
   *     one of them runs a compute process are sampled (an 8-GPU host serving from one must not count
   *     seven idle GPUs); when none does, all GPUs are, and {@link #selectionNote()} names the idle ones
   */
  public NvmlGpus(@Nullable String library, java.util.function.@Nullable Supplier<java.util.Set<Integer>> serverPids) {
    this.library = library;
    this.serverPids = serverPids;
  }

  /** What the default GPU selection decided, for collector.json; null when it did not run. */
  public @Nullable String selectionNote() {
    return selectionNote;
  }

  /** Loads and initialises NVML on first use. */
  public synchronized NvmlLibrary acquire() throws UnsupportedSourceException {
    if (unsupported != null) {
      throw new UnsupportedSourceException(unsupported);
    }
    if (nvml == null) {
      try {
        nvml = init();
      } catch (UnsupportedSourceException e) {
        unsupported = e.getMessage();
        throw e;
      } finally {
        decided.countDown();
      }
    }
    users++;
    return nvml;
  }

  public synchronized List<Gpu> gpus() {
    return gpus;
  }

  /**
   * Whether NVML samples the GPUs: waits (bounded) until the first {@link #acquire()} has succeeded or
   * failed, so that a fallback does not start while NVML is still initialising.
   */
  public boolean available() {
    try {
      if (!decided.await(15, java.util.concurrent.TimeUnit.SECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true; // the session is closing: nothing new should start
    }
    synchronized (this) {
      return nvml != null;
    }
  }

  public synchronized void release() {
    if (nvml == null || --users > 0) {
      return;
    }
    try {
      nvml.nvmlShutdown();
    } catch (RuntimeException | Error e) {
      // shutting down a library that misbehaves must not fail the run
    }
    nvml = null;
    gpus = List.of();
  }

  private NvmlLibrary init() throws UnsupportedSourceException {
    NvmlLibrary lib = load();
    int rc;
    try {
      rc = lib.nvmlInit_v2();
    } catch (UnsatisfiedLinkError e) {
      throw new UnsupportedSourceException("NVML has no nvmlInit_v2: " + e.getMessage());
    }
    if (rc != NvmlLibrary.SUCCESS) {
      throw new UnsupportedSourceException("nvmlInit_v2 failed: " + error(lib, rc));
    }
    IntByReference count = new IntByReference();
    rc = lib.nvmlDeviceGetCount_v2(count);
    if (rc != NvmlLibrary.SUCCESS || count.getValue() <= 0) {
      lib.nvmlShutdown();
      throw new UnsupportedSourceException(
          rc != NvmlLibrary.SUCCESS ? "nvmlDeviceGetCount_v2 failed: " + error(lib, rc) : "NVML sees no GPU");
    }
    List<Gpu> list = new ArrayList<>();
    StringBuilder skipped = new StringBuilder();
    for (int i = 0; i < count.getValue(); i++) {
      PointerByReference h = new PointerByReference();
      rc = lib.nvmlDeviceGetHandleByIndex_v2(i, h);
      if (rc != NvmlLibrary.SUCCESS) {
        // e.g. no permission on one GPU of a shared host: sample the others
        skipped.append(" gpu ").append(i).append(": ").append(error(lib, rc));
        continue;
      }
      byte[] uuid = new byte[80];
      byte[] name = new byte[96];
      int ru = lib.nvmlDeviceGetUUID(h.getValue(), uuid, uuid.length);
      int rn = lib.nvmlDeviceGetName(h.getValue(), name, name.length);
      String shown = rn == 0 ? cString(name) : null;
      if (migOn(lib, h.getValue())) {
        // Power and energy NVML gives are the whole GPU's, shared by its MIG instances.
        shown = (shown == null ? "GPU" : shown) + " (whole GPU, MIG on)";
      }
      list.add(new Gpu(i, h.getValue(), ru == 0 ? cString(uuid) : "index-" + i, shown));
    }
    if (list.isEmpty()) {
      lib.nvmlShutdown();
      throw new UnsupportedSourceException("no GPU handle could be opened:" + skipped);
    }
    gpus = List.copyOf(serverPids == null ? list : serversGpus(lib, list, serverPids.get()));
    return lib;
  }

  private static boolean migOn(NvmlLibrary lib, Pointer device) {
    IntByReference current = new IntByReference();
    IntByReference pending = new IntByReference();
    try {
      return lib.nvmlDeviceGetMigMode(device, current, pending) == NvmlLibrary.SUCCESS && current.getValue() == 1;
    } catch (UnsatisfiedLinkError e) {
      return false; // drivers before MIG
    }
  }

  /** The GPUs running one of {@code pids}; all of them (with a note naming the idle ones) when none does. */
  private List<Gpu> serversGpus(NvmlLibrary lib, List<Gpu> all, java.util.Set<Integer> pids) {
    List<Gpu> server = new ArrayList<>();
    List<String> idle = new ArrayList<>();
    List<String> others = new ArrayList<>();
    com.sun.jna.Memory infos = new com.sun.jna.Memory(64L * NvmlLibrary.PROCESS_INFO_SIZE);
    for (Gpu g : all) {
      int[] found = computePids(lib, g, infos);
      if (found == null) {
        selectionNote = "no compute-process list from this driver: sampling every GPU";
        return all;
      }
      boolean mine = false;
      for (int pid : found) mine |= pids.contains(pid);
      if (mine) server.add(g);
      else if (found.length == 0) idle.add(g.uuid());
      else others.add(g.uuid());
    }
    if (!server.isEmpty()) {
      List<String> out = new ArrayList<>(idle);
      out.addAll(others);
      selectionNote = "sampling the GPUs the watched server runs on" + (out.isEmpty() ? "" : "; left out: " + out);
      return server;
    }
    selectionNote = "the watched server (pids " + pids + ") runs on no GPU NVML lists (a server in a container"
        + " shows other process ids: name its GPUs with -Dcollector.gpus); sampling every GPU"
        + (idle.isEmpty() ? "" : "; idle (no compute process): " + idle);
    return all;
  }

  /** The compute processes' pids on one GPU, or null when the driver cannot list them. */
  private static int @Nullable [] computePids(NvmlLibrary lib, Gpu g, com.sun.jna.Memory infos) {
    IntByReference count = new IntByReference(64);
    int rc;
    try {
      rc = lib.nvmlDeviceGetComputeRunningProcesses_v3(g.handle(), count, infos);
    } catch (UnsatisfiedLinkError e) {
      try {
        count.setValue(64);
        rc = lib.nvmlDeviceGetComputeRunningProcesses_v2(g.handle(), count, infos);
      } catch (UnsatisfiedLinkError e2) {
        return null;
      }
    }
    if (rc != NvmlLibrary.SUCCESS) {
      return null;
    }
    int n = Math.min(64, Math.max(0, count.getValue()));
    int[] pids = new int[n];
    for (int i = 0; i < n; i++) {
      pids[i] = infos.getInt((long) i * NvmlLibrary.PROCESS_INFO_SIZE);
    }
    return pids;
  }

  private NvmlLibrary load() throws UnsupportedSourceException {
    List<String> names = new ArrayList<>();
    if (library != null) {
      names.add(library);
    } else if (Platform.isWindows()) {
      names.add("nvml");
    } else {
      // container toolkits inject only the versioned soname, which the short name does not find
      names.add("libnvidia-ml.so.1");
      names.add("nvidia-ml");
    }
    StringBuilder why = new StringBuilder();
    for (String n : names) {
      try {
        return Native.load(n, NvmlLibrary.class);
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        String m = firstLine(e.getMessage()).strip();
        // JNA's message is "Unable to load library 'x':" followed by one line per place it looked
        if (m.endsWith(":")) {
          m = m.substring(0, m.length() - 1);
        }
        why.append(why.length() == 0 ? "" : "; ").append(m);
      }
    }
    throw new UnsupportedSourceException("NVML library not loadable, no NVIDIA driver here? (" + why + ")");
  }

  static String error(NvmlLibrary lib, int rc) {
    String s;
    try {
      s = lib.nvmlErrorString(rc);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      s = null;
    }
    return "NVML error " + rc + (s == null ? "" : " (" + s + ")");
  }

  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String t = nl < 0 ? s : s.substring(0, nl);
    return t.length() > 160 ? t.substring(0, 160) + "..." : t;
  }
}
