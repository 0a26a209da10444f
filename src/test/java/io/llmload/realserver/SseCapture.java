package io.llmload.realserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming POST read line by line as it arrives, each {@code data:} event stamped with
 * {@link System#nanoTime()} on arrival: the raw reference the suite's figures are checked against.
 */
record SseCapture(int status, long sentNanos, List<Event> events) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code data:} event; {@code json} is null for the {@code [DONE]} terminator. */
    record Event(long nanos, String raw, JsonNode json) {}

    static SseCapture post(HttpClient client, URI uri, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                long now = System.nanoTime();
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                events.add(new Event(now, data, data.equals("[DONE]") ? null : JSON.readTree(data)));
            }
        }
        return new SseCapture(response.statusCode(), sent, events);
    }

    /** The last event carrying the field, or null. */
    JsonNode last(String field) {
        for (int i = events.size() - 1; i >= 0; i--) {
            JsonNode j = events.get(i).json();
            if (j != null && j.has(field)) {
                return j.get(field);
            }
        }
        return null;
    }
}
