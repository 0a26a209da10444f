package io.llmload.collector.amd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.collector.GpuSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses AMD's JSON: {@code amd-smi metric --usage --power --mem-usage --json} (a list of GPUs, or
 * {@code {"gpu_data": [...]}} in some versions; each value a number, {@code "N/A"}, or
 * {@code {"value": .., "unit": ..}}) and {@code rocm-smi --showuse --showpower --showmeminfo vram --json}
 * ({@code {"card0": {"GPU use (%)": "12", ...}}}). Unsupported values are null.
 */
public final class AmdSmiParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AmdSmiParser() {}

  public static List<GpuSample> amdSmi(String json, long epochMs) throws IOException {
    JsonNode root = JSON.readTree(json);
    JsonNode list = root != null && root.has("gpu_data") ? root.get("gpu_data") : root;
    List<GpuSample> out = new ArrayList<>();
    if (list == null || !list.isArray()) {
      return out;
    }
    for (JsonNode g : list) {
      Integer index = g.path("gpu").isInt() ? g.path("gpu").asInt() : null;
      JsonNode usage = g.path("usage");
      JsonNode power = g.path("power");
      JsonNode mem = g.path("mem_usage");
      Double socket = value(power.path("socket_power"));
      if (socket == null) {
        socket = value(power.path("current_socket_power"));
      }
      if (socket == null) {
        socket = value(power.path("average_socket_power"));
      }
      // amd-smi prints "MB" for memory sizes computed in units of 1024*1024 bytes
      out.add(new GpuSample(epochMs, "amd-smi", index, text(g.path("uuid")), null, value(usage.path("gfx_activity")),
          value(usage.path("umc_activity")), value(mem.path("used_vram")), value(mem.path("total_vram")), socket,
          null, null, value(g.path("clock").path("gfx_0").path("clk")), null, null,
          value(power.path("power_limit"))));
    }
    return out;
  }

  public static List<GpuSample> rocmSmi(String json, long epochMs) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<GpuSample> out = new ArrayList<>();
    if (root == null || !root.isObject()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("card")) {
        continue; // "system" and other non-GPU sections
      }
      JsonNode c = e.getValue();
      Integer index;
      try {
        index = Integer.valueOf(e.getKey().substring(4));
      } catch (NumberFormatException ex) {
        index = null;
      }
      Double power = value(c.path("Current Socket Graphics Package Power (W)"));
      if (power == null) {
        power = value(c.path("Average Graphics Package Power (W)"));
      }
      Double usedB = value(c.path("VRAM Total Used Memory (B)"));
      Double totalB = value(c.path("VRAM Total Memory (B)"));
      out.add(new GpuSample(epochMs, "rocm-smi", index, text(c.path("Unique ID")), text(c.path("Card series")),
          value(c.path("GPU use (%)")), value(c.path("GPU Memory Allocated (VRAM%)")),
          usedB == null ? null : usedB / 1048576.0, totalB == null ? null : totalB / 1048576.0, power, null, null,
          null, null, value(c.path("Temperature (Sensor edge) (C)")), null));
    }
    return out;
  }

  /** A number, a numeric string, or {@code {"value": ..}}; "N/A" and the like are null. */
  static @Nullable Double value(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isObject()) {
      return value(n.path("value"));
    }
    if (n.isNumber()) {
      double d = n.asDouble();
      // amdsmi reports unsupported 32-bit members as UINT32_MAX
      return Double.isFinite(d) && d != 4294967295.0 && d != 65535.0 ? d : null;
    }
    if (n.isTextual()) {
      String s = n.asText().trim();
      int sp = s.indexOf(' ');
      if (sp > 0) {
        s = s.substring(0, sp);
      }
      try {
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static @Nullable String text(JsonNode n) {
    if (n == null || !n.isTextual()) {
      return null;
    }
    String s = n.asText().trim();
    return s.isEmpty() || s.equalsIgnoreCase("N/A") ? null : s;
  }
}
