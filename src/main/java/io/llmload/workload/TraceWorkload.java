package io.llmload.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Trace replay, in the Mooncake / AIPerf {@code mooncake_trace} shape: JSONL lines {@code
 * {"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47, ...]}} with
 * the timestamp in ms. A request's arrival offset is (timestamp - first timestamp) x timeScale, so
 * 0.5 replays twice as fast. Where {@code hash_ids} are given, each id stands for a block of
 * {@code trace.blockSize} tokens of text generated from (seed, id), so lines that share ids share a
 * prompt prefix as they did in the traced service; otherwise the prompt is text of its own. The
 * feeder is finite: one record per line, in file order.
 */
final class TraceWorkload extends AbstractWorkload {
  private record Line(double timestampMs, int input, int output, int[] hashIds) {}

  private final String file;
  private final List<Line> lines;
  private final double timeScale;
  private final int blockSize;
  private final long seed;
  private final InputTokens.Count[] counts;
  private final List<Long> offsets;

  TraceWorkload(String file, double timeScale, int blockSize, long seed, OutputForcing forcing, InputTokens tokens) {
    super("trace", forcing, tokens);
    this.file = file;
    this.timeScale = timeScale;
    this.blockSize = blockSize;
    this.seed = seed;
    this.lines = read(file);
    counts = new InputTokens.Count[lines.size()];
    List<Long> off = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      // Generating a long trace's text only to estimate it would cost seconds; its length is known.
      counts[i] = tokens.mayMeasure() ? tokens.count(prompt(i), null) : tokens.estimatedWords(lines.get(i).input());
      off.add(Math.round(offsetMs(i)));
    }
    offsets = List.copyOf(off);
  }

  private static List<Line> read(String file) {
    Path p = PromptFiles.existing("trace", file);
    List<Line> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String s;
      int n = 0;
      double previous = Double.NEGATIVE_INFINITY;
      while ((s = r.readLine()) != null) {
        n++;
        if (s.isBlank()) continue;
        String where = "trace: " + file + " line " + n + ": ";
        JsonNode o;
        try {
          o = ServerTokenize.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
          o = null;
        }
        if (o == null || !o.isObject() || !o.path("timestamp").isNumber()
            || !o.path("input_length").isNumber() || !o.path("output_length").isNumber()) {
          throw new BadWorkload(where + "not a JSON object with \"timestamp\", \"input_length\" and \"output_length\"");
        }
        double ts = o.get("timestamp").asDouble();
        if (!(ts >= 0) || Double.isInfinite(ts)) throw new BadWorkload(where + "\"timestamp\" must be a number of ms >= 0");
        if (ts < previous) {
          throw new BadWorkload(where + "timestamp " + o.get("timestamp") + " is before the previous line's; sort the trace by timestamp");
        }
        previous = ts;
        int in = positive(o.get("input_length"), "input_length", where);
        int outLen = positive(o.get("output_length"), "output_length", where);
        int[] ids = new int[0];
        JsonNode h = o.get("hash_ids");
        if (h != null && !h.isNull()) {
          if (!h.isArray()) throw new BadWorkload(where + "\"hash_ids\" must be an array of whole numbers");
          ids = new int[h.size()];
          for (int i = 0; i < ids.length; i++) {
            if (!h.get(i).isIntegralNumber() || !h.get(i).canConvertToInt()) {
              throw new BadWorkload(where + "\"hash_ids\" must be an array of whole numbers");
            }
            ids[i] = h.get(i).asInt();
          }
        }
        out.add(new Line(ts, in, outLen, ids));
      }
    } catch (IOException e) {
      throw new BadWorkload("trace: file '" + file + "' cannot be read (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) throw new BadWorkload("trace: file '" + file + "' has no requests");
    return out;
  }

  private static int positive(JsonNode n, String field, String where) {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw new BadWorkload(where + "\"" + field + "\" must be a whole number >= 1, not " + n);
    }
    return n.asInt();
  }

  private double offsetMs(int i) {
    return (lines.get(i).timestampMs() - lines.get(0).timestampMs()) * timeScale;
  }

  /** The prompt of line i: its hash blocks, then text of its own up to the input length. */
  private String prompt(int i) {
    Line l = lines.get(i);
    StringBuilder sb = new StringBuilder(l.input() * 4);
    int left = l.input();
    for (int id : l.hashIds()) {
      if (left == 0) break;
      int n = Math.min(blockSize, left);
      // Seeded by the id alone, so every line holding this id gets the same block text.
      SyntheticText.append(sb, new MersenneTwister(SyntheticText.mix(seed, 1_000_003L + id)), n);
      left -= n;
    }
    if (left > 0) SyntheticText.append(sb, new MersenneTwister(SyntheticText.mix(seed ^ 0x5DEECE66DL, i)), left);
    return sb.toString();
  }

  @Override
  void describeSource(Map<String, Object> m) {
    m.put("file", file);
    m.put("requests", lines.size());
    m.put("time_scale", timeScale);
    m.put("duration_ms", offsetMs(lines.size() - 1));
    m.put("block_size", blockSize);
    m.put("seed", seed);
    m.put("text", "synthetic: random common three-letter English words, about one token each");
  }

  @Override
  public List<Long> arrivalOffsetsMs() {
    return offsets;
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    return new Iterator<>() {
      private int next;

      @Override
      public synchronized boolean hasNext() {
        return next < lines.size();
      }

      @Override
      public synchronized Map<String, Object> next() {
        if (next >= lines.size()) throw new NoSuchElementException("trace: all " + lines.size() + " requests of " + file + " were fed");
        int i = next++;
        Map<String, Object> r = record(prompt(i), null, lines.get(i).output(), counts[i]);
        r.put("arrivalOffsetMs", offsetMs(i));
        return r;
      }
    };
  }
}
