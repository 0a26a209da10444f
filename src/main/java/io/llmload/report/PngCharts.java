package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** charts/*.png beside report.md, drawn with XChart from the same data as the HTML charts. */
final class PngCharts {
  /** File stem and title of every chart, in report order. */
  static final String[][] CHARTS = {
      {"throughput-vs-level", "Aggregate and per-request tokens/s against level"},
      {"ttft-vs-level", "TTFT percentiles against level"},
      {"tpot-vs-level", "TPOT percentiles against level"},
      {"timeline", "Throughput and latency over time"},
      {"gpu-timeline", "GPU power, utilisation and SM clock over time"},
      {"token-speed", "Distribution of per-request tokens/s"}};
  private static final int W = 1000, H = 500;

  private final JsonNode summary;
  private final ObjectNode series;
  private final ObjectNode distribution;
  private final String levelWord;

  PngCharts(JsonNode summary, ObjectNode series, ObjectNode distribution, String levelWord) {
    this.summary = summary;
    this.series = series;
    this.distribution = distribution;
    this.levelWord = levelWord;
  }

  /** Writes the charts that have data; returns their stems. */
  List<String> write(Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<String> written = new ArrayList<>();
    List<JsonNode> levels = new ArrayList<>();
    for (JsonNode p : summary.path(SummaryJson.PHASES)) if (p.path(Phase.LEVEL).isNumber()) levels.add(p);
    levels.sort(Comparator.comparingDouble(p -> p.path(Phase.LEVEL).asDouble()));
    boolean log = !levels.isEmpty() && levels.stream().allMatch(p -> p.path(Phase.LEVEL).asDouble() > 0) && levels.size() > 2;

    XYChart tp = xy(CHARTS[0][1], levelWord, "aggregate output tokens/s");
    boolean any = addLevelSeries(tp, levels, "aggregate output tokens/s", p -> p.path(Phase.OUTPUT_TOKENS_PER_S), 0);
    any |= addLevelSeries(tp, levels, "per-request tokens/s (mean)", p -> p.path(Phase.TOKENS_PER_S).path(Stats.MEAN), 1);
    tp.setYAxisGroupTitle(1, "per-request tokens/s");
    tp.getStyler().setXAxisLogarithmic(log);
    if (any) save(tp, dir, CHARTS[0][0], written);

    for (int k = 0; k < 2; k++) {
      String m = k == 0 ? Phase.TTFT_MS : Phase.TPOT_MS;
      XYChart c = xy(CHARTS[1 + k][1], levelWord, "ms");
      boolean has = false;
      for (String q : new String[] {Stats.P50, Stats.P95, Stats.P99}) {
        has |= addLevelSeries(c, levels, m.substring(0, 4).toUpperCase(Locale.ROOT) + " " + q,
            p -> p.path(m).path(q), 0);
      }
      c.getStyler().setXAxisLogarithmic(log);
      if (has) save(c, dir, CHARTS[1 + k][0], written);
    }

    JsonNode t = series.path("t_s");
    XYChart tl = xy(CHARTS[3][1] + " (phase starts marked)", "seconds since run start", "tokens/s");
    boolean hasTl = addTimeSeries(tl, t, series.path("output_tokens_per_s"), "output tokens/s", 0);
    hasTl |= addTimeSeries(tl, t, series.path("ttft_ms_mean"), "TTFT mean (ms)", 1);
    hasTl |= addTimeSeries(tl, t, series.path("e2e_ms_mean"), "E2E mean (ms)", 1);
    tl.setYAxisGroupTitle(1, "ms");
    markPhases(tl);
    if (hasTl) save(tl, dir, CHARTS[3][0], written);

    JsonNode g = series.path("gpu");
    if (g.isObject()) {
      XYChart gc = xy(CHARTS[4][1] + " (phase starts marked)", "seconds since run start", "W / %");
      boolean has = addTimeSeries(gc, t, g.path("power_w"), "power per GPU (W)", 0);
      has |= addTimeSeries(gc, t, g.path("util_pct"), "utilisation (%)", 0);
      has |= addTimeSeries(gc, t, g.path("sm_clock_mhz"), "SM clock (MHz)", 1);
      gc.setYAxisGroupTitle(1, "MHz");
      markPhases(gc);
      if (has) save(gc, dir, CHARTS[4][0], written);
    }

    JsonNode bins = distribution.path("bin_start");
    if (bins.size() > 0 && distribution.path("phases").size() > 0) {
      CategoryChart cc = new CategoryChartBuilder().width(W).height(H).title(CHARTS[5][1])
          .xAxisTitle("tokens/s (bin start)").yAxisTitle("requests").build();
      cc.getStyler().setXAxisLabelRotation(45);
      cc.getStyler().setLocale(Locale.ROOT);
      List<String> labels = new ArrayList<>();
      bins.forEach(b -> labels.add(Num.auto(b.asDouble())));
      for (JsonNode p : distribution.path("phases")) {
        List<Number> counts = new ArrayList<>();
        p.path("counts").forEach(c -> counts.add(c.asLong()));
        cc.addSeries(uniqueName(cc.getSeriesMap().keySet(), p.path(Phase.NAME).asText()), labels, counts);
      }
      save(cc, dir, CHARTS[5][0], written);
    }
    return written;
  }

  private static XYChart xy(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setLocale(Locale.ROOT);
    c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    c.getStyler().setYAxisMin(0, 0.0);
    c.getStyler().setYAxisMin(1, 0.0);
    return c;
  }

  private static boolean addLevelSeries(XYChart c, List<JsonNode> levels, String name,
      Function<JsonNode, JsonNode> f, int axis) {
    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
    for (JsonNode p : levels) {
      JsonNode v = f.apply(p);
      if (!v.isNumber()) continue;
      xs.add(p.path(Phase.LEVEL).asDouble());
      ys.add(v.asDouble());
    }
    if (xs.isEmpty()) return false;
    XYSeries s = c.addSeries(name, xs, ys);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setYAxisGroup(axis);
    return true;
  }

  private static boolean addTimeSeries(XYChart c, JsonNode t, JsonNode y, String name, int axis) {
    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
    for (int i = 0; i < t.size() && i < y.size(); i++) {
      if (!y.get(i).isNumber()) continue;
      xs.add(t.get(i).asDouble());
      ys.add(y.get(i).asDouble());
    }
    if (xs.isEmpty()) return false;
    XYSeries s = c.addSeries(name, xs, ys);
    s.setMarker(SeriesMarkers.NONE);
    s.setYAxisGroup(axis);
    return true;
  }

  // XChart has no shaded ranges: phase starts are drawn as labelled vertical lines instead.
  private void markPhases(XYChart c) {
    for (JsonNode p : series.path("phases")) {
      double x = p.path("warmup_end_s").asDouble();
      c.addAnnotation(new AnnotationLine(x, true, false));
    }
  }

  private static String uniqueName(Set<String> used, String name) {
    String n = name.isEmpty() ? "phase" : name;
    String candidate = n;
    for (int i = 2; used.contains(candidate); i++) candidate = n + " (" + i + ")";
    return candidate;
  }

  private static void save(Chart<?, ?> chart, Path dir, String stem, List<String> written) throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(stem + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
    written.add(stem);
  }
}
