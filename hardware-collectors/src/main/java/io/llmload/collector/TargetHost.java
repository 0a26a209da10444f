package io.llmload.collector;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Whether a load-test target runs on this machine, where an in-process collector sees its hardware. */
final class TargetHost {
  private TargetHost() {}

  /**
   * Whether the target runs on this machine: a loopback address, one of this machine's own
   * addresses, or its host name. Names are compared, never resolved (a lookup could block the start).
   */
  static boolean isLocal(@Nullable URI target) {
    if (isLoopback(target)) {
      return true;
    }
    if (target == null || target.getHost() == null) {
      return false;
    }
    String h = target.getHost().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      for (java.util.Enumeration<java.net.NetworkInterface> e = java.net.NetworkInterface.getNetworkInterfaces();
          e != null && e.hasMoreElements(); ) {
        for (java.util.Enumeration<InetAddress> a = e.nextElement().getInetAddresses(); a.hasMoreElements(); ) {
          String addr = a.nextElement().getHostAddress().toLowerCase(Locale.ROOT);
          int zone = addr.indexOf('%');
          if ((zone < 0 ? addr : addr.substring(0, zone)).equals(h)) {
            return true;
          }
        }
      }
    } catch (java.net.SocketException e) {
      // no interface list: fall back to the name
    }
    String own = ownHostName();
    if (own == null || own.isEmpty()) {
      return false;
    }
    own = own.toLowerCase(Locale.ROOT);
    String ownShort = own.contains(".") ? own.substring(0, own.indexOf('.')) : own;
    String hShort = h.contains(".") && !h.matches("[0-9.]+") ? h.substring(0, h.indexOf('.')) : h;
    return h.equals(own) || (hShort.equals(ownShort) && (h.equals(hShort) || own.equals(ownShort)));
  }

  private static @Nullable String ownHostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h.trim();
    }
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean isLoopback(@Nullable URI target) {
    if (target == null || target.getHost() == null) {
      return false;
    }
    String h = target.getHost();
    if ("localhost".equalsIgnoreCase(h) || h.startsWith("127.") || "[::1]".equals(h) || "::1".equals(h)) {
      return true;
    }
    if (!h.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
      return false; // never resolve a name here: it could block the simulation's start
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
