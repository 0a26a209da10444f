package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The run's identity lines at the top of both reports: label and plain (unescaped) value. */
final class RunFacts {
  static final int MAX_SERVER_TEXT = 600;

  private RunFacts() {}

  static List<String[]> facts(JsonNode summary) {
    JsonNode run = summary.path("run");
    List<String[]> f = new ArrayList<>();
    add(f, "simulation", run.path("simulation"));
    add(f, "target", run.path("target"));
    add(f, "protocol", run.path("protocol"));
    add(f, "model", run.path("model"));
    JsonNode emu = run.path("emulator");
    if (emu.isObject()) {
      f.add(new String[] {"emulator", "SYNTHETIC: embedded emulator, profile " + emu.path("profile").asText("?")
          + ", seed " + emu.path("seed").asText("?") + ", jitter " + emu.path("jitter").asText("?")});
    }
    if (run.path("folders").isArray()) {
      List<String> names = new ArrayList<>();
      run.path("folders").forEach(n -> names.add(n.asText()));
      f.add(new String[] {"merged run folders", String.join(", ", names)});
    }
    add(f, "max_tokens", run.path("max_tokens"));
    add(f, "hardware data from", run.path(SummaryJson.Run.HARDWARE_FROM).path(SummaryJson.HardwareFrom.TEXT));
    f.add(new String[] {"definitions", summary.path("definitions").asText("1")});
    f.add(new String[] {"complete", summary.path("complete").asBoolean()
        ? "yes" : "NO: the run was cut short; figures cover what was recorded"});
    f.add(new String[] {"skipped lines", summary.path("skipped_lines").asText()});
    JsonNode slo = summary.path("slo");
    f.add(new String[] {"SLO", slo.isObject() ? Findings.sloText(slo) : "none given"});
    if (run.path("parameters").isObject() && !run.path("parameters").isEmpty()) {
      f.add(new String[] {"parameters", clip(run.path("parameters").toString())});
    }
    if (run.hasNonNull("server")) f.add(new String[] {"server said", clip(run.path("server").toString())});
    f.add(new String[] {"generator", summary.path("generator").asText()});
    return f;
  }

  private static void add(List<String[]> f, String label, JsonNode v) {
    if (v != null && !v.isNull() && !v.isMissingNode()) f.add(new String[] {label, v.asText()});
  }

  private static String clip(String s) {
    return s.length() > MAX_SERVER_TEXT ? s.substring(0, MAX_SERVER_TEXT) + "…" : s;
  }
}
