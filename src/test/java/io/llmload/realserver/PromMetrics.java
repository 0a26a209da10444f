package io.llmload.realserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of a Prometheus text endpoint: unlabelled series only, which is all llama-server's counters are. */
record PromMetrics(Map<String, Double> series) {

    static PromMetrics scrape(HttpClient client, URI base) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + r.statusCode());
        }
        return parse(r.body());
    }

    static PromMetrics parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.contains("{")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2) {
                try {
                    series.put(parts[0], Double.parseDouble(parts[1]));
                } catch (NumberFormatException e) {
                    // not a sample line we understand; the series stays absent
                }
            }
        }
        return new PromMetrics(series);
    }

    /** The series' value; a missing series is an error, not 0. */
    double value(String name) {
        Double v = series.get(name);
        if (v == null) {
            throw new IllegalStateException("metric " + name + " absent; present: " + series.keySet());
        }
        return v;
    }
}
