package io.llmload.collector.prom;

import io.llmload.collector.GpuSample;
import io.llmload.collector.MetricSample;
import io.llmload.collector.SampleSink;
import io.llmload.collector.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Scrapes one Prometheus endpoint: an inference server's {@code /metrics} ({@code server}) or the DCGM
 * exporter ({@code dcgm}). Kept series go to {@code server-metrics.jsonl}; DCGM series also become
 * {@code gpu.csv} rows (source {@code dcgm}). A synchronous request on the source's own thread, with
 * short timeouts and a size cap: a stalled server (llama.cpp's {@code /metrics} can block during
 * inference) delays only the next scrape.
 */
public final class PrometheusSource implements Source {

  private static final int MAX_BYTES = 8 << 20;

  private final String kind;
  private final URI uri;
  private final String shownUrl;
  private final long periodMs;
  private final Clock clock;
  private final Predicate<String> keep;
  private @Nullable SampleSink sink;
  private long samples;

  /** @param kind {@code server} or {@code dcgm} */
  public PrometheusSource(String kind, URI uri, long periodMs, Clock clock) {
    this.kind = kind;
    this.uri = uri;
    this.shownUrl = withoutUserInfo(uri);
    this.periodMs = periodMs;
    this.clock = clock;
    this.keep = "dcgm".equals(kind) ? MetricFamilies::dcgm : MetricFamilies::server;
  }

  @Override
  public String name() {
    return kind;
  }

  @Override
  public long periodMs() {
    return periodMs;
  }

  @Override
  public String url() {
    return shownUrl;
  }

  @Override
  public void open(SampleSink sink) {
    // an endpoint that is down at start may come up later: its polls record the errors
    this.sink = sink;
  }

  @Override
  public void poll() throws IOException {
    SampleSink s = sink;
    if (s == null) {
      return;
    }
    long t0 = clock.millis();
    String body = fetch();
    List<MetricSample> kept = PromText.parse(body, keep);
    s.metrics(t0, kind, shownUrl, kept);
    samples++;
    if ("dcgm".equals(kind)) {
      for (GpuSample g : dcgmRows(t0, kept)) {
        s.gpu(g);
      }
    }
  }

  private String fetch() throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    int timeout = (int) Math.max(500, Math.min(5_000, periodMs * 2));
    c.setConnectTimeout(timeout);
    c.setReadTimeout(timeout);
    c.setRequestProperty("Accept", "text/plain;version=0.0.4");
    try {
      int code = c.getResponseCode();
      if (code != 200) {
        throw new IOException("HTTP " + code + " from " + shownUrl);
      }
      try (InputStream in = c.getInputStream()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) >= 0) {
          b.write(buf, 0, r);
          if (b.size() > MAX_BYTES) {
            throw new IOException("more than " + MAX_BYTES + " bytes from " + shownUrl);
          }
        }
        return b.toString(StandardCharsets.UTF_8);
      }
    } finally {
      c.disconnect();
    }
  }

  /**
   * One {@code gpu.csv} row per GPU (by its {@code UUID} label) from the DCGM exporter's series, and one
   * per MIG instance (series with a {@code GPU_I_ID} label): the instance's own figures (utilisation,
   * memory) under {@code <GPU UUID>/mig<id>}, while power, energy, clocks and temperature stay on the
   * GPU's row, named "(whole GPU)" when it has instances: they are not any one slice's.
   */
  static List<GpuSample> dcgmRows(long epochMs, List<MetricSample> kept) {
    Map<String, Map<String, Double>> byGpu = new LinkedHashMap<>();
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    java.util.Set<String> withInstances = new java.util.HashSet<>();
    for (MetricSample m : kept) {
      String uuid = m.labels().getOrDefault("UUID", m.labels().get("uuid"));
      String gpuKey = uuid != null ? uuid : "gpu" + m.labels().getOrDefault("gpu", "?");
      String instance = m.labels().get("GPU_I_ID");
      String key = instance == null || instance.isBlank() ? gpuKey : gpuKey + "/mig" + instance;
      if (!key.equals(gpuKey)) withInstances.add(gpuKey);
      byGpu.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(m.name(), m.value());
      labels.putIfAbsent(key, m.labels());
    }
    List<GpuSample> rows = new java.util.ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> e : byGpu.entrySet()) {
      Map<String, Double> v = e.getValue();
      Map<String, String> l = labels.get(e.getKey());
      Integer index = null;
      try {
        index = l.get("gpu") == null ? null : Integer.valueOf(l.get("gpu"));
      } catch (NumberFormatException ex) {
        index = null;
      }
      Double used = v.get("DCGM_FI_DEV_FB_USED");
      Double total = v.get("DCGM_FI_DEV_FB_TOTAL");
      if (total == null && used != null && v.get("DCGM_FI_DEV_FB_FREE") != null) {
        total = used + v.get("DCGM_FI_DEV_FB_FREE")
            + v.getOrDefault("DCGM_FI_DEV_FB_RESERVED", 0.0);
      }
      String model = l.getOrDefault("modelName", null);
      boolean instance = e.getKey().contains("/mig");
      if (instance) {
        Double active = v.get("DCGM_FI_PROF_GR_ENGINE_ACTIVE");
        Double util = v.get("DCGM_FI_DEV_GPU_UTIL") != null ? v.get("DCGM_FI_DEV_GPU_UTIL")
            : active == null ? null : active * 100;
        String profile = l.get("GPU_I_PROFILE");
        rows.add(new GpuSample(epochMs, "dcgm", index, e.getKey(),
            (model == null ? "" : model + " ") + "MIG " + (profile == null ? "" : profile + " ") + "instance "
                + l.get("GPU_I_ID"), sane(util), null, sane(used), sane(total), null, null, null, null, null, null, null));
        continue;
      }
      if (withInstances.contains(e.getKey()) && model != null) {
        model = model + " (whole GPU)";
      }
      Double energy = v.get("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION");
      rows.add(new GpuSample(epochMs, "dcgm", index, l.getOrDefault("UUID", l.get("uuid")),
          model, sane(v.get("DCGM_FI_DEV_GPU_UTIL")),
          sane(v.get("DCGM_FI_DEV_MEM_COPY_UTIL")), sane(used), sane(total), sane(v.get("DCGM_FI_DEV_POWER_USAGE")),
          sane(v.get("DCGM_FI_DEV_POWER_USAGE_INSTANT")), energy == null || !sensible(energy) ? null : energy.longValue(),
          sane(v.get("DCGM_FI_DEV_SM_CLOCK")), sane(v.get("DCGM_FI_DEV_MEM_CLOCK")), sane(v.get("DCGM_FI_DEV_GPU_TEMP")),
          sane(v.get("DCGM_FI_DEV_ENFORCED_POWER_LIMIT"))));
    }
    return rows;
  }

  /** DCGM shows blank values as huge sentinels (e.g. 9223372036854775794): those are null. */
  private static @Nullable Double sane(@Nullable Double d) {
    return d == null || !sensible(d) ? null : d;
  }

  private static boolean sensible(double d) {
    return Double.isFinite(d) && d >= 0 && d < 9.0e18;
  }

  static String withoutUserInfo(URI u) {
    if (u.getUserInfo() == null && u.getQuery() == null) {
      return u.toString();
    }
    try {
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (java.net.URISyntaxException e) {
      return u.getScheme() + "://" + u.getHost();
    }
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void close() {}
}
