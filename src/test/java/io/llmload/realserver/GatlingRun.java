package io.llmload.realserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@link RealServerSimulation} through Gatling's own entry point and reads back the
 * {@code requests.jsonl} the suite wrote.
 *
 * @param runFolder the folder Gatling created for the run
 * @param records the request records, one JSON object per complete line
 */
record GatlingRun(Path runFolder, List<JsonNode> records) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Runs one simulation in a forked JVM, as {@code mvn gatling:test} does: Gatling needs
     * {@code --add-opens java.base/java.lang}, keeps static state, and exits through {@code System.exit}.
     */
    static GatlingRun run(String target, String protocol, int users, Duration duration, int maxTokens,
                          Path results) throws IOException, InterruptedException {
        Files.createDirectories(results);
        Path logback = results.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """, StandardCharsets.UTF_8);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("target", target);
        props.put("protocol", protocol);
        props.put("users", Integer.toString(users));
        props.put("durationMs", Long.toString(duration.toMillis()));
        props.put("maxTokens", Integer.toString(maxTokens));
        props.put("results", results.toAbsolutePath().toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens");
        cmd.add("java.base/java.lang=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        cmd.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
        // A run talks to its target only: no usage analytics, no release check against Maven Central.
        cmd.add("-Dgatling.data.enableAnalytics=false");
        cmd.add("-Djava.util.prefs.PreferencesFactory=io.llmload.gatling.OfflinePreferencesFactory");
        props.forEach((k, v) -> cmd.add("-D" + RealServerSimulation.PREFIX + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.gatling.app.Gatling");
        cmd.addAll(List.of("--simulation", RealServerSimulation.class.getName(),
                "--results-folder", results.toAbsolutePath().toString(), "--no-reports"));
        Path log = results.resolve("gatling.log");
        Process gatling = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = duration.toSeconds() + 90;
        if (!gatling.waitFor(limit, TimeUnit.SECONDS)) {
            gatling.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("Gatling did not finish within " + limit + " s; log tail:\n" + tail(log));
        }
        if (gatling.exitValue() != 0) {
            throw new IllegalStateException("Gatling exited with " + gatling.exitValue() + "; log tail:\n" + tail(log));
        }
        Path folder;
        try (Stream<Path> s = Files.list(results)) {
            List<Path> runs = s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith("realserversimulation-"))
                    .toList();
            if (runs.size() != 1) {
                throw new IllegalStateException("expected one run folder in " + results + ", found " + runs);
            }
            folder = runs.get(0);
        }
        Path jsonl = folder.resolve("requests.jsonl");
        if (!Files.exists(jsonl)) {
            throw new IllegalStateException("no requests.jsonl in " + folder);
        }
        String text = Files.readString(jsonl, StandardCharsets.UTF_8);
        List<JsonNode> records = new ArrayList<>();
        int from = 0;
        // A line without its newline is a torn write; the contract says readers skip it.
        for (int nl = text.indexOf('\n'); nl >= 0; from = nl + 1, nl = text.indexOf('\n', from)) {
            if (nl > from) {
                records.add(JSON.readTree(text.substring(from, nl)));
            }
        }
        return new GatlingRun(folder, records);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
