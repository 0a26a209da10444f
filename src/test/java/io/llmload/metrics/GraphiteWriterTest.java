package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.llmload.config.Params;
import io.llmload.record.LiveStats;
import io.llmload.record.Phase;
import io.llmload.record.RequestRecord;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dmetrics.graphite=host:port}: the live series reach a plain TCP listener started here on
 * loopback, one Graphite plaintext line each; every sample of the Prometheus client's own text
 * exposition of the same registry (the reference: another writer, not ours) is among the lines with
 * the same value. A listener that is down costs counted failures, not the run.
 */
class GraphiteWriterTest {
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)((?:;[a-zA-Z_]+=[^;~\\s]+)*) (\\S+) (\\d+)");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private static RequestRecord record(String status, double ttftMs) {
    RequestRecord r = new RequestRecord();
    r.phase = "c8";
    r.level = 8.0;
    r.status = status;
    r.outputTokens = 5L;
    r.ttftMs = ttftMs;
    r.tpotMs = 10.0;
    r.e2eMs = 80.0;
    return r;
  }

  private static MetricsOptions options(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return MetricsOptions.from(new Params(p, m -> {}));
  }

  @Test
  void theSameSeriesAsTheExpositionReachAPlainTcpListener() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept = new Thread(() -> {
        while (!listener.isClosed()) {
          try (Socket s = listener.accept();
               BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = in.readLine()) != null) lines.add(l);
            lines.add("--end of send--");
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
      MetricsOptions o = options("metrics.graphite", "127.0.0.1:" + listener.getLocalPort(), "metrics.graphite.period", "200ms");
      assertNull(o.port(), "no endpoint unless a port is given");
      long t0 = System.currentTimeMillis() / 1000;
      LiveMetricsSession s = LiveMetricsSession.start(o, GraphiteWriterTest.class, "0/2", new LiveStats());
      long before;
      try {
        s.prepare(List.of(new Phase("c8", 8.0, 0, 1, 0)));
        s.observe(record("ok", 40.0));
        s.observe(record("ok", 400.0));
        s.observe(record("timeout", Double.NaN));
        long deadline = System.currentTimeMillis() + 5000;
        while (ends(lines) == 0 && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertTrue(ends(lines) > 0, "a send every period during the run");
      } finally {
        before = ends(lines);
        s.close(); // the final send, after every observation
      }
      long deadline = System.currentTimeMillis() + 5000;
      while (ends(lines) <= before && System.currentTimeMillis() < deadline) Thread.sleep(50);
      assertTrue(ends(lines) > before, "a last send after the run");
      String exposition = text(s);

      // the last complete send
      int end = lines.lastIndexOf("--end of send--");
      int start = lines.subList(0, end).lastIndexOf("--end of send--") + 1;
      Map<String, Double> graphite = new TreeMap<>();
      for (String l : lines.subList(start, end)) {
        Matcher m = LINE.matcher(l);
        assertTrue(m.matches(), "a Graphite plaintext line: " + l);
        long ts = Long.parseLong(m.group(4));
        assertTrue(ts >= t0 - 1 && ts <= t0 + 60, "stamped in epoch seconds: " + l);
        Map<String, String> tags = new TreeMap<>();
        for (String kv : m.group(2).split(";")) {
          if (kv.isEmpty()) continue;
          tags.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        assertEquals("0/2", tags.get("shard"), l);
        graphite.put(key(m.group(1), tags), Double.parseDouble(m.group(3)));
      }
      int samples = 0;
      for (String l : exposition.split("\n")) {
        if (l.startsWith("#") || l.isBlank()) continue;
        Matcher m = SAMPLE.matcher(l);
        assertTrue(m.matches(), l);
        Map<String, String> labels = new TreeMap<>();
        Matcher lm = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
        while (lm.find()) labels.put(lm.group(1), lm.group(2).isEmpty() ? "none" : lm.group(2));
        String k = key(m.group(1), labels);
        assertTrue(graphite.containsKey(k), "exposition sample sent to Graphite: " + l + " as " + k);
        assertEquals(Double.parseDouble(m.group(3)), graphite.get(k), 1e-9, l);
        samples++;
      }
      assertEquals(samples, graphite.size(), "nothing sent beyond the exposition's samples");
      assertTrue(samples > 100, "buckets, counts, sums, counters, gauges: " + samples);
      String ok = key("llm_load_requests_total", new TreeMap<>(Map.of("level", "8", "phase", "c8", "run", s.run(), "shard", "0/2",
          "status", "ok", "warmup", "false")));
      assertEquals(2.0, graphite.get(ok), ok);
    }
  }

  @Test
  void aListenerThatIsDownCostsCountedFailuresNotTheRun() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    LiveMetrics m = new LiveMetrics("down", new LiveStats());
    GraphiteWriter g = new GraphiteWriter("127.0.0.1", closed, m.registry(), java.time.Duration.ofHours(1));
    long t = System.nanoTime();
    m.observe(record("ok", 40.0));
    assertFalse(g.send());
    g.close();
    assertEquals(2, g.failures(), "the send and the final one");
    assertTrue(System.nanoTime() - t < 5_000_000_000L, "bounded by the connect timeout");
  }

  @Test
  void badValuesAreOneLineNamingTheParameter() {
    for (String bad : new String[] {"graphite", "graphite:0", "graphite:x", ":2003"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> options("metrics.graphite", bad));
      assertEquals("metrics.graphite: '" + bad + "' is not host:port (port 1 to 65535), e.g. graphite:2003", e.getMessage());
    }
    var e = assertThrows(IllegalArgumentException.class, () -> options("metrics.graphite.period", "5s"));
    assertTrue(e.getMessage().startsWith("metrics.graphite.period: has no effect without metrics.graphite"), e.getMessage());
    MetricsOptions o = options("metrics.graphite", "carbon.example:2003");
    assertEquals("carbon.example", o.graphiteHost());
    assertEquals(2003, o.graphitePort());
    assertEquals(MetricsOptions.DEFAULT_GRAPHITE_PERIOD, o.graphitePeriod());
  }

  private static long ends(List<String> lines) {
    return lines.stream().filter("--end of send--"::equals).count();
  }

  /** name and labels, {@code le} as a number (the two writers print bounds differently). */
  private static String key(String name, Map<String, String> labels) {
    StringBuilder b = new StringBuilder(name);
    labels.forEach((k, v) -> {
      String value = v;
      if (k.equals("le")) value = v.equals("+Inf") ? "Infinity" : Double.toString(Double.parseDouble(v));
      b.append(';').append(k).append('=').append(value);
    });
    return b.toString();
  }

  private static String text(LiveMetricsSession s) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(o, s.registry().scrape(), EscapingScheme.ALLOW_UTF8);
    return o.toString(StandardCharsets.UTF_8);
  }
}
