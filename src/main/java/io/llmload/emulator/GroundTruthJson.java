package io.llmload.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One ground-truth record as a JSON line. Instants are {@code *_nanos} of the emulator's
 * System.nanoTime (CLOCK_MONOTONIC on Linux: comparable with another JVM on the same machine) plus
 * {@code received_epoch_us}; absent values are omitted.
 */
final class GroundTruthJson {
  private GroundTruthJson() {}

  static String line(GroundTruth g) {
    ObjectNode o = WireFormat.JSON.createObjectNode();
    o.put("schema", 1);
    o.put("synthetic", true);
    o.put("id", g.requestId());
    o.put("protocol", g.protocol());
    if (g.status() != null) {
      o.put("http_status", g.status());
    }
    o.put("received_epoch_us", g.receivedEpochMicros());
    o.put("received_nanos", g.receivedNanos());
    put(o, "admitted_nanos", g.admittedNanos());
    put(o, "queue_nanos", g.queueNanos());
    put(o, "prefill_nanos", g.prefillNanos());
    put(o, "first_chunk_written_nanos", g.firstChunkWrittenNanos());
    put(o, "first_token_written_nanos", g.firstTokenWrittenNanos());
    put(o, "last_token_written_nanos", g.lastTokenWrittenNanos());
    put(o, "end_nanos", g.endNanos());
    o.put("prompt_tokens", g.promptTokens());
    o.put("output_tokens", g.outputTokens());
    if (g.finishReason() != null) {
      o.put("finish_reason", g.finishReason());
    }
    if (g.fault() != null) {
      o.put("fault", g.fault());
    }
    return o + "\n";
  }

  private static void put(ObjectNode o, String k, Long v) {
    if (v != null) {
      o.put(k, v.longValue());
    }
  }
}
