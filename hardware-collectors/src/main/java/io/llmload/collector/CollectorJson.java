package io.llmload.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code collector.json} (docs/collectors.md): the sources' statuses, clock offset, host and window. */
final class CollectorJson {
  private CollectorJson() {}

  /** The common part of {@code collector.json}, for the in-process, standalone and pulled collectors. */
  static ObjectNode common(List<SourceStatus> st, String host, long start, @Nullable Long end,
      @Nullable Double offsetMs, @Nullable Double rttMs) {
    ObjectNode o = CollectorSession.json().createObjectNode();
    o.put("schema", 1);
    ArrayNode a = o.putArray("sources");
    for (SourceStatus s : st) {
      ObjectNode n = a.addObject();
      n.put("name", s.name());
      n.put("status", s.status());
      n.put("reason", s.reason());
      n.put("period_ms", s.periodMs());
      if (s.url() != null) {
        n.put("url", s.url());
      }
      n.put("samples", s.samples());
      n.put("errors", s.errors());
    }
    if (offsetMs == null) {
      o.putNull("clock_offset_ms");
    } else {
      o.put("clock_offset_ms", round1(offsetMs));
    }
    if (rttMs == null) {
      o.putNull("rtt_ms");
    } else {
      o.put("rtt_ms", round1(rttMs));
    }
    o.put("host", host);
    o.put("start_epoch_ms", start);
    if (end == null) {
      o.putNull("end_epoch_ms");
    } else {
      o.put("end_epoch_ms", end);
    }
    o.put("synthetic", false);
    return o;
  }

  private static double round1(double v) {
    return Math.round(v * 10.0) / 10.0;
  }

  /** The host named in {@code collector.json}. */
  static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      Path p = Path.of("/etc/hostname");
      if (Files.isReadable(p)) {
        String s = Files.readString(p).trim();
        if (!s.isEmpty()) {
          return s;
        }
      }
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
