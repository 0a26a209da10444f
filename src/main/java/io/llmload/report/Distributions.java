package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * TTFT, ITL and E2E distributions, and the prompt and output lengths, for the report's charts, from
 * summary.json's per-phase histograms (latencies in µs, lengths in tokens): shared log-spaced bins,
 * four per octave, so phases can be overlaid and a long tail shows.
 */
final class Distributions {
  static final String[] METRICS = {"ttft_ms", "itl_ms", "e2e_ms", "prompt_tokens", "output_tokens"};
  private static final int PER_OCTAVE = 4;
  private static final int MAX_BINS = 80;

  private Distributions() {}

  /** {@code {"ttft_ms": {"bin_start": [...ms], "phases": [{"name", "counts"}]}, "output_tokens": {...tokens}, ...}}. */
  static ObjectNode of(JsonNode summary) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String m : METRICS) {
      List<String> names = new ArrayList<>();
      List<Histogram> hists = new ArrayList<>();
      for (JsonNode p : summary.path(SummaryJson.PHASES)) {
        Histogram h = decode(p.path(Phase.HISTOGRAMS).path(m).asText(""));
        if (h == null || h.getTotalCount() == 0) continue;
        names.add(p.path(Phase.NAME).asText());
        hists.add(h);
      }
      out.set(m, bins(names, hists, m.endsWith("_ms") ? 1000.0 : 1.0));
    }
    return out;
  }

  /** The canvas id of a metric's chart: {@code ttft-dist}, {@code prompt-tokens-dist}. */
  static String chartId(String metric) {
    return metric.replace("_ms", "").replace('_', '-') + "-dist";
  }

  /** @param perUnit histogram values per unit of the bins: 1000 for ms from µs, 1 for tokens */
  private static ObjectNode bins(List<String> names, List<Histogram> hists, double perUnit) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode starts = o.putArray("bin_start");
    ArrayNode phases = o.putArray("phases");
    if (hists.isEmpty()) return o;
    long lo = Long.MAX_VALUE, hi = 0;
    for (Histogram h : hists) {
      lo = Math.min(lo, Math.max(1, h.getMinNonZeroValue()));
      hi = Math.max(hi, h.getMaxValue());
    }
    int first = (int) Math.floor(log2(lo) * PER_OCTAVE);
    int last = (int) Math.floor(log2(Math.max(hi, lo)) * PER_OCTAVE);
    int step = Math.max(1, (last - first + 1 + MAX_BINS - 1) / MAX_BINS);
    int n = (last - first) / step + 1;
    for (int i = 0; i < n; i++) starts.add(Num.round(Math.pow(2, (double) (first + i * step) / PER_OCTAVE) / perUnit));
    for (int k = 0; k < hists.size(); k++) {
      long[] counts = new long[n];
      for (HistogramIterationValue v : hists.get(k).recordedValues()) {
        long value = Math.max(1, v.getValueIteratedTo());
        int bin = ((int) Math.floor(log2(value) * PER_OCTAVE) - first) / step;
        counts[Math.max(0, Math.min(n - 1, bin))] += v.getCountAtValueIteratedTo();
      }
      ObjectNode p = phases.addObject().put("name", names.get(k));
      ArrayNode c = p.putArray("counts");
      for (long x : counts) c.add(x);
    }
    return o;
  }

  private static double log2(long v) {
    return Math.log(v) / Math.log(2);
  }

  private static Histogram decode(String b64) {
    if (b64.isEmpty()) return null;
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
    } catch (java.util.zip.DataFormatException | RuntimeException e) {
      return null; // a histogram that does not decode is left out of the chart, not the report
    }
  }
}
