package io.llmload.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pulls a run's samples from a standalone collector ({@link CollectorMain}) on the GPU host, at the end of
 * the run. The collector's clock may differ from the load generator's: the offset is estimated NTP-style
 * (a few warm-up exchanges, then 12 {@code /time} round trips; the one with the smallest round-trip time
 * wins, its error bounded by half that time), the window is translated to the collector's clock, and every sample is written back on
 * the load generator's clock. Offset and round-trip time go into {@code collector.json}.
 */
public final class RemoteCollector {

  private static final System.Logger LOG = System.getLogger(RemoteCollector.class.getName());
  private static final int WARM_UP = 3;
  private static final int ROUND_TRIPS = 12;

  private RemoteCollector() {}

  /**
   * What a pull did.
   *
   * @param offsetMs collector clock − load-generator clock, or null if not measured
   * @param rttMs round-trip time of the exchange the offset came from
   * @param rows sample lines written, all files together
   * @param error why the pull failed, or null
   */
  public record Result(@Nullable Double offsetMs, @Nullable Double rttMs, long rows, @Nullable String error) {}

  /** An offset estimate from one or more round trips. */
  public record Offset(double offsetMs, double rttMs) {}

  /** {@link #pull(URI, long, long, Path, Clock)} with the system clock. */
  public static Result pull(URI collectorUrl, long startEpochMs, long endEpochMs, Path hardwareDir) {
    return pull(collectorUrl, startEpochMs, endEpochMs, hardwareDir, Clock.systemUTC());
  }

  /**
   * Fetches the samples of [startEpochMs, endEpochMs] (load-generator clock) into {@code hardwareDir},
   * corrected to the load generator's clock. Never throws for a network or collector problem: it is
   * recorded in {@code collector.json} and in the result.
   */
  public static Result pull(URI collectorUrl, long startEpochMs, long endEpochMs, Path hardwareDir, Clock lgClock) {
    String shown = withoutUserInfo(collectorUrl);
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(3))
        .proxy(HttpClient.Builder.NO_PROXY)
        .build();
    Offset off = null;
    try {
      off = estimateOffset(http, collectorUrl, lgClock);
      long shift = Math.round(off.offsetMs());
      URI u = collectorUrl.resolve("/samples?from=" + (startEpochMs + shift) + "&to=" + (endEpochMs + shift));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(60)).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " from " + shown + "/samples");
      }
      JsonNode body = CollectorSession.json().readTree(r.body());
      long rows = write(body, shift, hardwareDir);
      ObjectNode cj = CollectorSession.collectorJson(sources(body), body.path("host").asText("unknown"),
          startEpochMs, endEpochMs, off.offsetMs(), off.rttMs());
      cj.put("collector_url", shown);
      if (body.has("processes")) {
        cj.set("processes", body.get("processes"));
      }
      writeJson(hardwareDir, cj);
      return new Result(off.offsetMs(), off.rttMs(), rows, null);
    } catch (IOException | RuntimeException e) {
      String why = "pull from " + shown + " failed: " + e;
      LOG.log(Level.WARNING, "hardware collector: " + why);
      List<SourceStatus> st = List.of(new SourceStatus("remote", SourceStatus.FAILED, why, 0, shown, 0, 0));
      ObjectNode cj = CollectorSession.collectorJson(st, "unknown", startEpochMs, endEpochMs,
          off == null ? null : off.offsetMs(), off == null ? null : off.rttMs());
      cj.put("collector_url", shown);
      try {
        writeJson(hardwareDir, cj);
      } catch (IOException io) {
        LOG.log(Level.WARNING, "hardware collector: cannot write collector.json: " + io);
      }
      return new Result(off == null ? null : off.offsetMs(), off == null ? null : off.rttMs(), 0, why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, null, 0, "interrupted");
    }
  }

  /**
   * Estimates collector clock − local clock: for each round trip, offset = server time − midpoint of
   * send and receive; the round trip with the smallest RTT is kept. Local times come from one
   * {@code lgClock} reading advanced by {@link System#nanoTime}, for sub-millisecond resolution.
   */
  static Offset estimateOffset(HttpClient http, URI base, Clock lgClock) throws IOException, InterruptedException {
    Instant i0 = lgClock.instant();
    long n0 = System.nanoTime();
    double baseUs = i0.getEpochSecond() * 1e6 + i0.getNano() / 1e3;
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/time")).timeout(Duration.ofSeconds(3)).GET().build();
    Offset best = null;
    // one failure ends it: a collector that does not answer must not hold the end of the run for long
    for (int i = 0; i < WARM_UP + ROUND_TRIPS; i++) {
      double t0 = baseUs + (System.nanoTime() - n0) / 1e3;
      HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
      double t3 = baseUs + (System.nanoTime() - n0) / 1e3;
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " from /time");
      }
      long ts;
      try {
        ts = Long.parseLong(r.headers().firstValue(CollectorServer.TIME_HEADER).orElse(""));
      } catch (NumberFormatException e) {
        throw new IOException("/time answered without " + CollectorServer.TIME_HEADER);
      }
      Offset o = new Offset((ts - (t0 + t3) / 2.0) / 1000.0, (t3 - t0) / 1000.0);
      // the first exchanges open the connection and warm both sides up: slow and lopsided
      if (i >= WARM_UP && (best == null || o.rttMs() < best.rttMs())) {
        best = o;
      }
    }
    if (best == null) {
      throw new IOException("no /time answer");
    }
    return best;
  }

  private static List<SourceStatus> sources(JsonNode body) {
    List<SourceStatus> out = new ArrayList<>();
    for (JsonNode s : body.path("sources")) {
      out.add(new SourceStatus(s.path("name").asText(), s.path("status").asText(),
          s.path("reason").isNull() ? null : s.path("reason").asText(null), s.path("period_ms").asLong(),
          s.hasNonNull("url") ? s.path("url").asText() : null, s.path("samples").asLong(), s.path("errors").asLong()));
    }
    return out;
  }

  /** Writes the files, every epoch_ms moved by −shift onto the load generator's clock; returns rows. */
  private static long write(JsonNode body, long shift, Path dir) throws IOException {
    Files.createDirectories(dir);
    long rows = 0;
    JsonNode files = body.path("files");
    for (String name : RunFiles.NAMES) {
      String text = files.path(name).asText("");
      StringBuilder out = new StringBuilder(text.length());
      boolean csv = name.endsWith(".csv");
      boolean first = true;
      for (String line : text.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        if (csv && first) {
          out.append(line).append('\n');
          first = false;
          continue;
        }
        first = false;
        String fixed = csv ? shiftCsv(line, shift) : shiftJson(line, shift);
        if (fixed != null) {
          out.append(fixed).append('\n');
          rows++;
        }
      }
      if (out.length() > 0) {
        Files.writeString(dir.resolve(name), out.toString(), StandardCharsets.UTF_8);
      }
    }
    return rows;
  }

  static @Nullable String shiftCsv(String line, long shift) {
    int c = line.indexOf(',');
    if (c <= 0) {
      return null;
    }
    try {
      return (Long.parseLong(line.substring(0, c)) - shift) + line.substring(c);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static @Nullable String shiftJson(String line, long shift) {
    try {
      JsonNode n = CollectorSession.json().readTree(line);
      if (!(n instanceof ObjectNode o) || !o.path("epoch_ms").canConvertToLong()) {
        return null;
      }
      o.put("epoch_ms", o.path("epoch_ms").asLong() - shift);
      return CollectorSession.json().writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeJson(Path dir, ObjectNode o) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(CollectorSession.COLLECTOR_JSON),
        CollectorSession.json().writeValueAsString(o) + "\n", StandardCharsets.UTF_8);
  }

  static String withoutUserInfo(URI u) {
    if (u.getUserInfo() == null) {
      return u.toString();
    }
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }
}
