package io.llmload.report;

import com.fasterxml.jackson.core.JsonParser;
import io.llmload.collector.runfolder.RequestFields;
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
        case RequestFields.PHASE -> r.phase = text(p, v, r, RecentStrings.PHASE);
        case RequestFields.LEVEL -> r.level = num(p, v);
        case RequestFields.WARMUP -> r.warmup = v == JsonToken.VALUE_TRUE;
        case RequestFields.STATUS -> r.status = text(p, v, r, RecentStrings.STATUS);
        case RequestFields.ERROR -> r.error = text(p, v);
        case RequestFields.FINISH_REASON -> r.finishReason = text(p, v, r, RecentStrings.FINISH_REASON);
        case RequestFields.OUTPUT_TOKENS_SOURCE -> r.outputTokensSource = text(p, v, r, RecentStrings.TOKENS_SOURCE);
        case RequestFields.SCHEDULED_EPOCH_US -> r.scheduledUs = lng(p, v);
        case RequestFields.SENT_EPOCH_US -> r.sentUs = lng(p, v);
        case RequestFields.END_EPOCH_US -> r.endUs = lng(p, v);
        case RequestFields.QUEUE_DELAY_MS -> r.queueDelayMs = num(p, v);
        case RequestFields.TTFT_MS -> r.ttftMs = num(p, v);
        case RequestFields.TTFT_FROM_SCHEDULED_MS -> r.ttftFromScheduledMs = num(p, v);
        case RequestFields.E2E_FROM_SCHEDULED_MS -> r.e2eFromScheduledMs = num(p, v);
        case RequestFields.TTFO_MS -> r.ttfoMs = num(p, v);
        case RequestFields.LAST_TOKEN_MS -> r.lastTokenMs = num(p, v);
        case RequestFields.E2E_MS -> r.e2eMs = num(p, v);
        case RequestFields.TPOT_MS -> r.tpotMs = num(p, v);
        case RequestFields.OUTPUT_TOKENS -> r.outputTokens = lng(p, v);
        case RequestFields.CHUNK_TOKENS -> r.chunkTokens = lng(p, v);
        case RequestFields.PROMPT_TOKENS -> r.promptTokens = lng(p, v);
        case RequestFields.INPUTS -> r.inputs = lng(p, v);
        case RequestFields.TARGET_PROMPT_TOKENS -> r.targetPromptTokens = lng(p, v);
        case RequestFields.MAX_TOKENS -> r.maxTokens = lng(p, v);
        case RequestFields.TOKENS_PER_S -> r.tokensPerS = num(p, v);
        case RequestFields.DECODE_TOKENS_PER_S -> r.decodeTokensPerS = num(p, v);
        case RequestFields.ITL_MS -> parseItl(p, v, r);
        case RequestFields.ITL_HIST -> r.itlHist = text(p, v);
        case RequestFields.ITL_TOKENS -> r.itlTokens = text(p, v, r, RecentStrings.ITL_TOKENS);
        case RequestFields.CONNECT_MS -> r.connectMs = num(p, v);
        case RequestFields.TLS_MS -> r.tlsMs = num(p, v);
        case RequestFields.REUSED -> r.reused = v == JsonToken.VALUE_TRUE ? 1 : v == JsonToken.VALUE_FALSE ? 0 : skipInt(p, -1);
        case RequestFields.SHARD -> r.shard = v == JsonToken.VALUE_STRING ? text(p, v, r, RecentStrings.SHARD)
            : v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : text(p, v);
        case RequestFields.DEFINITIONS -> r.definitions = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p, 1);
        case RequestFields.SERVER -> parseServer(p, v, r, "");
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
        case RequestFields.Itl.N -> r.itlN = lng(p, t);
        case RequestFields.Itl.MEAN -> r.itlMean = num(p, t);
        case RequestFields.Itl.MAX -> r.itlMax = num(p, t);
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
