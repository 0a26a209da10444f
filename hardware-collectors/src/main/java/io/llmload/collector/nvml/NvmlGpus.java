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
    this.library = library;
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
      list.add(new Gpu(i, h.getValue(), ru == 0 ? cString(uuid) : "index-" + i, rn == 0 ? cString(name) : null));
    }
    if (list.isEmpty()) {
      lib.nvmlShutdown();
      throw new UnsupportedSourceException("no GPU handle could be opened:" + skipped);
    }
    gpus = List.copyOf(list);
    return lib;
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
