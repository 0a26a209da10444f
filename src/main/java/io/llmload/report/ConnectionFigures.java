package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.Connection;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Connection setup of a phase's measured requests, from records of definitions 2 ({@code connect_ms},
 * {@code tls_ms}, {@code reused}): how often a request paid for a new connection and what it cost.
 * Latencies are measured from the send, after the setup, so the setup is shown here on its own.
 * Records without the fields (definitions 1) leave the figures absent.
 */
final class ConnectionFigures {
  final HistogramAccumulator connect = new HistogramAccumulator(1000);
  final HistogramAccumulator tls = new HistogramAccumulator(1000);
  long reused;
  long fresh;

  void add(RequestRecord r) {
    connect.record(r.connectMs);
    tls.record(r.tlsMs);
    if (r.reused == 1) reused++;
    else if (r.reused == 0) fresh++;
  }

  void merge(ConnectionFigures o) {
    connect.add(o.connect);
    tls.add(o.tls);
    reused += o.reused;
    fresh += o.fresh;
  }

  /** {@code {"reused", "new", "reused_share", "connect_ms", "tls_ms"}}, or null when no record said. */
  @Nullable ObjectNode toJson() {
    if (reused + fresh == 0 && connect.count() == 0) return null;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(Connection.REUSED, reused);
    o.put(Connection.NEW, fresh);
    if (reused + fresh > 0) o.put(Connection.REUSED_SHARE, Num.round((double) reused / (reused + fresh)));
    else o.putNull(Connection.REUSED_SHARE);
    o.set(Connection.CONNECT_MS, connect.latencyStats());
    o.set(Connection.TLS_MS, tls.latencyStats());
    return o;
  }
}
