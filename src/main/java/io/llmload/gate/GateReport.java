package io.llmload.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link GateResult} as verdict.json, verdict.md (a Markdown table for a CI job
 * summary), junit-gate.xml (one test case per phase and metric) and console lines. Phase names
 * and file names come from the inputs and are escaped for each format.
 */
public final class GateReport {
  public static final String JSON = "verdict.json";
  public static final String MARKDOWN = "verdict.md";
  public static final String JUNIT = "junit-gate.xml";

  private GateReport() {}

  /** Writes the three files into {@code dir} (created if needed) and returns their paths. */
  public static List<Path> writeAll(GateResult r, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    out.add(write(dir.resolve(JSON), json(r)));
    out.add(write(dir.resolve(MARKDOWN), markdown(r)));
    out.add(write(dir.resolve(JUNIT), junitXml(r)));
    return out;
  }

  private static Path write(Path p, String content) throws IOException {
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** One line per regression (and per inconclusive finding), then one line with the verdict. */
  public static void console(GateResult r, PrintStream out) {
    for (MetricResult m : r.results()) {
      if (m.verdict() == Verdict.REGRESSED || m.verdict() == Verdict.INCONCLUSIVE) {
        out.println("gate: " + m.verdict().label().toUpperCase(Locale.ROOT) + " " + oneLine(m.phase()) + " "
            + m.metric().key() + ": " + Fmt.value(m.metric(), m.baseline()) + " -> " + Fmt.value(m.metric(), m.current())
            + ", " + m.reason());
      }
    }
    for (String w : r.warnings()) {
      out.println("gate: warning: " + oneLine(w));
    }
    out.println("gate: verdict " + r.verdict().label() + " (" + r.count(Verdict.REGRESSED) + " regressed, "
        + r.count(Verdict.IMPROVED) + " improved, " + r.count(Verdict.UNCHANGED) + " unchanged, "
        + r.count(Verdict.INCONCLUSIVE) + " inconclusive of " + r.results().size() + "), exit code " + r.exitCode());
  }

  /** verdict.json: schema 1, the overall verdict and every finding. */
  public static String json(GateResult r) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("schema", 1);
    root.put("verdict", r.verdict().label());
    root.put("exit_code", r.exitCode());
    root.put("baseline", r.baseline());
    root.put("current", r.current());
    root.put("alpha", r.alpha());
    root.put("correction", "holm");
    root.put("allow_inconclusive", r.allowInconclusive());
    ObjectNode counts = root.putObject("counts");
    for (Verdict v : Verdict.values()) {
      counts.put(v.label(), r.count(v));
    }
    ArrayNode results = root.putArray("results");
    for (MetricResult m : r.results()) {
      ObjectNode o = results.addObject();
      o.put("phase", m.phase());
      o.put("metric", m.metric().key());
      o.put("verdict", m.verdict().label());
      putNullable(o, "baseline", m.baseline());
      putNullable(o, "current", m.current());
      o.put("change_kind", m.metric().absolute() ? "absolute" : "relative");
      putNullable(o, "change", m.change());
      putNullable(o, "ci_low", m.ciLow());
      putNullable(o, "ci_high", m.ciHigh());
      putNullable(o, "p_value", m.pValue());
      putNullable(o, "p_adjusted", m.pAdjusted());
      if (m.nBaseline() != null) {
        o.put("n_baseline", m.nBaseline());
      } else {
        o.putNull("n_baseline");
      }
      if (m.nCurrent() != null) {
        o.put("n_current", m.nCurrent());
      } else {
        o.putNull("n_current");
      }
      o.put("tolerance", m.tolerance());
      if (m.test() != null) {
        o.put("test", m.test());
      } else {
        o.putNull("test");
      }
      o.put("reason", m.reason());
    }
    ArrayNode w = root.putArray("warnings");
    r.warnings().forEach(w::add);
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the verdict", e);
    }
  }

  private static void putNullable(ObjectNode o, String field, @Nullable Double v) {
    if (v == null || !Double.isFinite(v)) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }

  /** verdict.md: a heading with the verdict and a table, one row per phase and metric. */
  public static String markdown(GateResult r) {
    StringBuilder b = new StringBuilder();
    b.append("## Regression gate: ").append(r.verdict().label()).append("\n\n");
    b.append("Baseline `").append(code(r.baseline())).append("`, current `").append(code(r.current()))
        .append("`. A change counts when it is significant after Holm's correction (family-wise alpha ")
        .append(Double.toString(r.alpha()))
        .append(") and beyond the metric's tolerance. ")
        .append(r.count(Verdict.REGRESSED)).append(" regressed, ")
        .append(r.count(Verdict.IMPROVED)).append(" improved, ")
        .append(r.count(Verdict.UNCHANGED)).append(" unchanged, ")
        .append(r.count(Verdict.INCONCLUSIVE)).append(" inconclusive.\n\n");
    b.append("| phase | metric | verdict | baseline | current | change | CI | p (Holm) | n base / cur | tolerance |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
    for (MetricResult m : r.results()) {
      b.append("| ").append(cell(m.phase()))
          .append(" | ").append(m.metric().key())
          .append(" | ").append(m.verdict() == Verdict.REGRESSED ? "**regressed**" : m.verdict().label())
          .append(" | ").append(Fmt.value(m.metric(), m.baseline()))
          .append(" | ").append(Fmt.value(m.metric(), m.current()))
          .append(" | ").append(Fmt.change(m.metric(), m.change()))
          .append(" | ").append(m.ciLow() == null ? "n/a"
              : Fmt.change(m.metric(), m.ciLow()) + " to " + Fmt.change(m.metric(), m.ciHigh()))
          .append(" | ").append(Fmt.p(m.pAdjusted()))
          .append(" | ").append(m.nBaseline() == null ? "n/a" : m.nBaseline()).append(" / ")
          .append(m.nCurrent() == null ? "n/a" : m.nCurrent())
          .append(" | ").append(Fmt.tolerance(m.metric(), m.tolerance()))
          .append(" |\n");
    }
    List<MetricResult> notes = r.results().stream().filter(m -> m.verdict() != Verdict.UNCHANGED).toList();
    if (!notes.isEmpty()) {
      b.append("\n");
      for (MetricResult m : notes) {
        b.append("- ").append(cell(m.phase())).append(" ").append(m.metric().key()).append(", ")
            .append(m.verdict().label()).append(": ").append(cell(m.reason())).append("\n");
      }
    }
    if (!r.warnings().isEmpty()) {
      b.append("\nWarnings:\n\n");
      for (String w : r.warnings()) {
        b.append("- ").append(cell(w)).append("\n");
      }
    }
    return b.toString();
  }

  /** junit-gate.xml: one test case per phase and metric; regressed is a failure, inconclusive a
   * failure unless inconclusive is allowed, then a skip. */
  public static String junitXml(GateResult r) {
    long failures = r.count(Verdict.REGRESSED) + (r.allowInconclusive() ? 0 : r.count(Verdict.INCONCLUSIVE));
    long skipped = r.allowInconclusive() ? r.count(Verdict.INCONCLUSIVE) : 0;
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append("<testsuite name=\"regression-gate\" tests=\"").append(r.results().size())
        .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
        .append("\" time=\"0\">\n");
    b.append("  <properties>\n");
    b.append("    <property name=\"baseline\" value=\"").append(xml(r.baseline())).append("\"/>\n");
    b.append("    <property name=\"current\" value=\"").append(xml(r.current())).append("\"/>\n");
    b.append("    <property name=\"verdict\" value=\"").append(r.verdict().label()).append("\"/>\n");
    b.append("  </properties>\n");
    for (MetricResult m : r.results()) {
      b.append("  <testcase classname=\"gate.").append(xml(m.phase())).append("\" name=\"")
          .append(m.metric().key()).append("\" time=\"0\">");
      String detail = m.metric().key() + " " + Fmt.value(m.metric(), m.baseline()) + " -> "
          + Fmt.value(m.metric(), m.current()) + ": " + m.reason();
      if (m.verdict() == Verdict.REGRESSED) {
        b.append("\n    <failure type=\"regressed\" message=\"").append(xml(detail)).append("\"/>\n  ");
      } else if (m.verdict() == Verdict.INCONCLUSIVE) {
        if (r.allowInconclusive()) {
          b.append("\n    <skipped message=\"").append(xml(detail)).append("\"/>\n  ");
        } else {
          b.append("\n    <failure type=\"inconclusive\" message=\"").append(xml(detail)).append("\"/>\n  ");
        }
      } else {
        b.append("\n    <system-out>").append(xml(m.verdict().label() + ": " + detail)).append("</system-out>\n  ");
      }
      b.append("</testcase>\n");
    }
    b.append("</testsuite>\n");
    return b.toString();
  }

  /** XML 1.0 text: escapes markup and drops characters XML cannot hold. */
  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\n', '\r', '\t' -> b.append("&#").append((int) c).append(';');
        default -> {
          if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** A Markdown table cell: one line, no pipes, no raw HTML. */
  static String cell(String s) {
    return oneLine(s).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String code(String s) {
    return oneLine(s).replace("`", "'");
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n\\t]+", " ");
  }
}
