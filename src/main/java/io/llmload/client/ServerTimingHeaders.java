package io.llmload.client;

import io.llmload.wire.StreamState;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Server-side timings a server puts in its response headers: TGI's {@code x-queue-time}, {@code
 * x-inference-time}, {@code x-time-per-token}, {@code x-validation-time} and {@code x-total-time}
 * (milliseconds, on {@code /generate}), kept in the record's {@code server} object as {@code
 * queue_time_ms}, ... Values that are not plain non-negative numbers are ignored (untrusted input).
 */
final class ServerTimingHeaders {
  private static final String[][] TGI = {
    {"x-queue-time", "queue_time_ms"},
    {"x-inference-time", "inference_time_ms"},
    {"x-time-per-token", "time_per_token_ms"},
    {"x-validation-time", "validation_time_ms"},
    {"x-total-time", "total_time_ms"},
  };

  private ServerTimingHeaders() {}

  static void read(HttpHeaders headers, StreamState st) {
    for (String[] h : TGI) {
      String v = headers.get(h[0]);
      if (v == null) continue;
      try {
        double d = Double.parseDouble(v.trim());
        if (d >= 0 && Double.isFinite(d)) st.server(h[1], d == Math.rint(d) && d < 1e15 ? (Object) (long) d : (Object) d);
      } catch (NumberFormatException ignored) {
        // not a number: nothing to report
      }
    }
  }
}
