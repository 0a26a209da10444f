package io.llmload.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** The fields of a requests.jsonl line the aggregator uses, read into a reused {@link RequestRecord}. */
final class RecordFields {
  private RecordFields() {}

  static void parseObject(JsonParser p, RequestRecord r) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "phase" -> r.phase = text(p, v, r, RecentStrings.PHASE);
        case "level" -> r.level = num(p, v);
        case "warmup" -> r.warmup = v == JsonToken.VALUE_TRUE;
        case "status" -> r.status = text(p, v, r, RecentStrings.STATUS);
        case "error" -> r.error = text(p, v);
        case "finish_reason" -> r.finishReason = text(p, v, r, RecentStrings.FINISH_REASON);
        case "output_tokens_source" -> r.outputTokensSource = text(p, v, r, RecentStrings.TOKENS_SOURCE);
        case "scheduled_epoch_us" -> r.scheduledUs = lng(p, v);
        case "sent_epoch_us" -> r.sentUs = lng(p, v);
        case "end_epoch_us" -> r.endUs = lng(p, v);
        case "queue_delay_ms" -> r.queueDelayMs = num(p, v);
        case "ttft_ms" -> r.ttftMs = num(p, v);
        case "ttft_from_scheduled_ms" -> r.ttftFromScheduledMs = num(p, v);
        case "ttfo_ms" -> r.ttfoMs = num(p, v);
        case "last_token_ms" -> r.lastTokenMs = num(p, v);
        case "e2e_ms" -> r.e2eMs = num(p, v);
        case "tpot_ms" -> r.tpotMs = num(p, v);
        case "output_tokens" -> r.outputTokens = lng(p, v);
        case "chunk_tokens" -> r.chunkTokens = lng(p, v);
        case "prompt_tokens" -> r.promptTokens = lng(p, v);
        case "inputs" -> r.inputs = lng(p, v);
        case "target_prompt_tokens" -> r.targetPromptTokens = lng(p, v);
        case "max_tokens" -> r.maxTokens = lng(p, v);
        case "tokens_per_s" -> r.tokensPerS = num(p, v);
        case "decode_tokens_per_s" -> r.decodeTokensPerS = num(p, v);
        case "itl_ms" -> parseItl(p, v, r);
        case "itl_hist" -> r.itlHist = text(p, v);
        case "itl_tokens" -> r.itlTokens = text(p, v, r, RecentStrings.ITL_TOKENS);
        case "connect_ms" -> r.connectMs = num(p, v);
        case "tls_ms" -> r.tlsMs = num(p, v);
        case "reused" -> r.reused = v == JsonToken.VALUE_TRUE ? 1 : v == JsonToken.VALUE_FALSE ? 0 : skipInt(p, -1);
        case "shard" -> r.shard = v == JsonToken.VALUE_STRING ? text(p, v, r, RecentStrings.SHARD)
            : v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : text(p, v);
        case "definitions" -> r.definitions = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p, 1);
        case "server" -> parseServer(p, v, r, "");
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) throw new IOException("not a JSON object");
  }

  private static void parseItl(JsonParser p, JsonToken v, RequestRecord r) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "n" -> r.itlN = lng(p, t);
        case "mean" -> r.itlMean = num(p, t);
        case "max" -> r.itlMax = num(p, t);
        default -> p.skipChildren();
      }
    }
  }

  // Numeric server figures, one nesting level flattened ("timings.predicted_ms"); strings ignored.
  private static void parseServer(JsonParser p, JsonToken v, RequestRecord r, String prefix)
      throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT && prefix.isEmpty()) {
        parseServer(p, t, r, name + ".");
      } else if (t.isNumeric() && r.serverCount < RequestRecord.MAX_SERVER_FIELDS) {
        r.serverNames[r.serverCount] = prefix.isEmpty() ? name : r.strings.join(prefix, name);
        r.serverValues[r.serverCount++] = p.getDoubleValue();
      } else {
        p.skipChildren();
      }
    }
  }

  private static int skipInt(JsonParser p, int fallback) throws IOException {
    p.skipChildren();
    return fallback;
  }

  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_STRING) return p.getText();
    p.skipChildren();
    return null;
  }

  private static String text(JsonParser p, JsonToken v, RequestRecord r, int field) throws IOException {
    if (v == JsonToken.VALUE_STRING) return r.strings.text(p, field);
    p.skipChildren();
    return null;
  }

  private static double num(JsonParser p, JsonToken v) throws IOException {
    if (v.isNumeric()) {
      double d = p.getDoubleValue();
      return Double.isFinite(d) ? d : Double.NaN;
    }
    p.skipChildren();
    return Double.NaN;
  }

  private static long lng(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
    if (v == JsonToken.VALUE_NUMBER_FLOAT) return Math.round(p.getDoubleValue());
    p.skipChildren();
    return RequestRecord.ABSENT;
  }
}
