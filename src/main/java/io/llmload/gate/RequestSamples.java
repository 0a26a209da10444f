package io.llmload.gate;

import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.JsonLines;
import io.llmload.collector.runfolder.RequestFields;
import io.llmload.collector.runfolder.SummaryJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Replaces a summary's per-phase samples (a reservoir of at most 2,000 requests) with the values
 * of every measured request in the run folder's requests.jsonl, when that file holds more. More
 * samples narrow the intervals of long runs; the summary's own values are left as they are.
 */
final class RequestSamples {
  /** Keys copied from a request record into the phase's samples. */
  private static final String[] KEYS =
      {RequestFields.TTFT_MS, RequestFields.TPOT_MS, RequestFields.E2E_MS, RequestFields.OUTPUT_TOKENS};
  /** Beyond this many requests per phase a seeded reservoir keeps the bootstrap fast. */
  static final int MAX_PER_PHASE = 20_000;

  private RequestSamples() {}

  /**
   * A copy of {@code summary} whose phases' samples come from {@code runFolder/requests.jsonl}
   * where it has more ok, non-warm-up requests than the summary's sample; {@code summary} itself
   * when the folder has no requests.jsonl.
   */
  static JsonNode enrich(JsonNode summary, Path runFolder) throws IOException {
    Path file = FileNames.requests(runFolder);
    if (!Files.isRegularFile(file) || !summary.path(SummaryJson.PHASES).isArray()) {
      return summary;
    }
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Reservoir> byPhase = new HashMap<>();
    JsonLines.forEachLine(file, line -> {
      JsonNode r;
      try {
        r = mapper.readTree(line);
      } catch (IOException e) {
        return; // an unreadable line: the aggregator counted it in skipped_lines
      }
      if (r == null || !r.isObject() || !"ok".equals(r.path(RequestFields.STATUS).asText())
          || r.path(RequestFields.WARMUP).asBoolean(false) || !r.path(RequestFields.PHASE).isTextual()) {
        return;
      }
      byPhase.computeIfAbsent(r.get(RequestFields.PHASE).asText(), p -> new Reservoir(p.hashCode())).offer(r);
    });
    ObjectNode copy = summary.deepCopy();
    for (JsonNode phase : copy.get(SummaryJson.PHASES)) {
      Reservoir res = byPhase.get(phase.path(SummaryJson.Phase.NAME).asText());
      JsonNode samples = phase.path(SummaryJson.Phase.SAMPLES);
      int have = samples.path(SummaryJson.Phase.E2E_MS).isArray() ? samples.get(SummaryJson.Phase.E2E_MS).size() : 0;
      if (res == null || res.size <= have || !phase.isObject()) {
        continue;
      }
      ObjectNode s = ((ObjectNode) phase).putObject(SummaryJson.Phase.SAMPLES);
      s.put(SummaryJson.Samples.SOURCE, FileNames.REQUESTS);
      for (int k = 0; k < KEYS.length; k++) {
        ArrayNode a = s.putArray(KEYS[k]);
        for (int i = 0; i < res.size; i++) {
          double v = res.values[i][k];
          if (Double.isNaN(v)) {
            a.addNull();
          } else {
            a.add(v);
          }
        }
      }
    }
    return copy;
  }

  /** Algorithm R over request records, rows kept whole so that a request's values stay together. */
  private static final class Reservoir {
    final double[][] values = new double[MAX_PER_PHASE][];
    final SplittableRandom random;
    int size;
    long seen;

    Reservoir(long seed) {
      random = new SplittableRandom(seed);
    }

    void offer(JsonNode r) {
      seen++;
      int slot;
      if (size < MAX_PER_PHASE) {
        slot = size++;
      } else {
        long j = random.nextLong(seen);
        if (j >= MAX_PER_PHASE) {
          return;
        }
        slot = (int) j;
      }
      double[] row = new double[KEYS.length];
      for (int k = 0; k < KEYS.length; k++) {
        JsonNode v = r.get(KEYS[k]);
        row[k] = v != null && v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() >= 0 ? v.asDouble() : Double.NaN;
      }
      values[slot] = row;
    }
  }
}
