package io.llmload.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** compare.md: the runs' parameters side by side (differences marked), per-phase figures, the Pareto front. */
final class CompareMarkdown {
  private CompareMarkdown() {}

  static String render(RunSet set, Map<String, String> verdicts) {
    StringBuilder b = new StringBuilder();
    b.append("# Comparison of ").append(set.runs.size()).append(" runs\n\n");
    for (int i = 0; i < set.runs.size(); i++) {
      b.append(i + 1).append(". ").append(esc(set.runs.get(i).label())).append('\n');
    }
    b.append("\n## Parameters\n\nRows marked **≠** differ between the runs.\n\n| | parameter |");
    for (RunSet.Run r : set.runs) b.append(' ').append(esc(r.label())).append(" |");
    b.append("\n| --- | --- |");
    b.append(" --- |".repeat(set.runs.size())).append('\n');
    for (RunSet.Param p : set.parameters()) {
      b.append("| ").append(p.differs() ? "**≠**" : "").append(" | ").append(esc(p.name())).append(" |");
      for (@Nullable String v : p.values()) b.append(' ').append(v == null ? "—" : esc(v)).append(" |");
      b.append('\n');
    }
    b.append("\n## Per phase\n\n| run | phase | level | requests | failed | output tokens/s | per-user tokens/s p50"
        + " | TTFT p50 ms | TTFT p95 ms | TPOT p50 ms | E2E p50 ms | J/token |\n");
    b.append("| --- | --- |").append(" ---: |".repeat(10)).append('\n');
    List<RunSet.Row> rows = set.rows();
    for (RunSet.Row r : rows) {
      b.append("| ").append(esc(r.run())).append(" | ").append(esc(r.phase())).append(" | ")
          .append(r.level() == null ? "—" : CompareFormat.num(r.level())).append(" | ").append(r.requests()).append(" | ")
          .append(r.failed()).append(" | ").append(CompareFormat.num(r.tokensPerS())).append(" | ").append(CompareFormat.num(r.perUserTokensPerS()))
          .append(" | ").append(CompareFormat.num(r.ttftP50())).append(" | ").append(CompareFormat.num(r.ttftP95())).append(" | ")
          .append(CompareFormat.num(r.tpotP50())).append(" | ").append(CompareFormat.num(r.e2eP50())).append(" | ").append(CompareFormat.num(r.jPerToken()))
          .append(" |\n");
    }
    b.append("\n## Pareto front\n\nAggregate output tokens/s against per-user tokens/s (the median request's);"
        + " these phases are beaten by no other in both:\n\n");
    for (RunSet.Row r : RunSet.pareto(rows)) {
      b.append("- ").append(esc(r.run())).append(", ").append(esc(r.phase())).append(": ")
          .append(CompareFormat.num(r.tokensPerS())).append(" tokens/s in all, ").append(CompareFormat.num(r.perUserTokensPerS()))
          .append(" tokens/s per user\n");
    }
    if (!verdicts.isEmpty()) {
      b.append("\n## Gate verdicts against the baseline (").append(esc(set.runs.get(0).label())).append(")\n\n");
      verdicts.forEach((run, md) -> b.append("### ").append(esc(run)).append("\n\n").append(md).append('\n'));
    }
    return b.toString();
  }

  /** Markdown renderers pass raw HTML through and tables split on '|': both are neutralised. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '|' -> b.append("\\|");
        case '`', '*', '_', '[', ']', '\\' -> b.append('\\').append(c);
        case '\n', '\r', '\t' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
