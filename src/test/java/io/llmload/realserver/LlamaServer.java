package io.llmload.realserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real llama.cpp {@code llama-server} on loopback, serving a {@link TinyGguf} random model, for tests.
 * Closing it stops the process and waits for it.
 *
 * <p>The binary is {@code $LLAMA_SERVER_BIN}, else the one {@code .ci/setup} builds into
 * {@code ~/.cache/llm-load-suite/llama-server-<node-llama-cpp version>-<llama.cpp commit>/bin/}. Where it is
 * absent, {@link #start} skips the test on a developer machine and fails it under {@code CI=true} (CI runs
 * {@code .ci/setup} first, so a missing binary there is a setup bug, not a reason to skip).
 */
public final class LlamaServer implements AutoCloseable {

    /** Kept in step with {@code .ci/setup}. */
    static final String NODE_LLAMA_CPP_VERSION = "3.22.1";
    static final String LLAMA_CPP_COMMIT = "de3ff815ea7d559ee917f063901b8986f038abc6";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final URI baseUrl;
    private final int slots;
    private final Thread reaper;

    private LlamaServer(Process process, Path dir, Path log, URI baseUrl, int slots) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.baseUrl = baseUrl;
        this.slots = slots;
        // A test JVM that is killed or exits without closing must not leave a spinning server behind.
        this.reaper = new Thread(process::destroyForcibly, "llama-server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Generated models live in the build folder (Maven's basedir is the working directory of tests). */
    private static Path modelDir() {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target.resolve("llama-models")
                : Path.of(System.getProperty("java.io.tmpdir"), "llm-load-suite-models");
    }

    /** Where the binary is expected, whether or not it exists. */
    static Path expectedBinary() {
        String env = System.getenv("LLAMA_SERVER_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String cache = System.getenv("LLM_LOAD_CACHE");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "llm-load-suite");
        return root.resolve("llama-server-" + NODE_LLAMA_CPP_VERSION + "-" + LLAMA_CPP_COMMIT)
                .resolve("bin").resolve("llama-server");
    }

    /** Whether the binary is there; test classes start a shared server only then. */
    static boolean binaryPresent() {
        return Files.isExecutable(expectedBinary());
    }

    /**
     * The binary, or the test is skipped (developer machine) or failed ({@code CI=true}). Call it from
     * {@code @BeforeEach} so every test shows as skipped with the reason, not just a silent class.
     */
    static Path requireBinary() {
        Path bin = expectedBinary();
        if (Files.isExecutable(bin)) {
            return bin;
        }
        String message = "llama-server not found at " + bin
                + " (run .ci/setup to build it, or set LLAMA_SERVER_BIN)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * Starts the server on a fresh copy of {@code model}.
     *
     * @param slots parallel sequences the server decodes ({@code -np}); requests beyond them queue
     * @param contextPerSlot tokens of context each slot gets ({@code -c} is slots times this)
     */
    public static LlamaServer start(TinyGguf model, int slots, int contextPerSlot) throws IOException {
        return start(model, slots, contextPerSlot, new String[0]);
    }

    /** As {@link #start(TinyGguf, int, int)}, with more flags ({@code --embeddings}). */
    public static LlamaServer start(TinyGguf model, int slots, int contextPerSlot, String... extraArgs) throws IOException {
        if (slots < 1 || slots > 64) {
            throw new IllegalArgumentException("slots = " + slots + ": allowed 1..64");
        }
        if (contextPerSlot < 64 || (long) contextPerSlot * slots > model.contextLength()) {
            throw new IllegalArgumentException("contextPerSlot = " + contextPerSlot + ": allowed 64.."
                    + model.contextLength() / slots + " (the model's context length over " + slots + " slots)");
        }
        Path bin = requireBinary();
        Path gguf = model.writeOnce(modelDir());
        Path dir = Files.createTempDirectory("llama-server-");
        try {
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return launch(bin, gguf, dir, slots, slots * contextPerSlot, extraArgs);
                } catch (PortTaken e) {
                    last = e;
                }
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The port was free when chosen and taken by the time the server bound it; try another. */
    private static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static LlamaServer launch(Path bin, Path gguf, Path dir, int slots, int context, String... extraArgs)
            throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path log = dir.resolve("server-" + port + ".log");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(),
                "-m", gguf.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                // One thread: ggml's workers spin-wait between ops and stall on a busy 2-core machine.
                "-t", "1", "-tb", "1",
                "-np", Integer.toString(slots),
                "-c", Integer.toString(context),
                "--metrics", "--no-webui"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        // llama-server reads LLAMA_ARG_* variables as flags: keep the caller's environment out of the test.
        env.keySet().removeIf(k -> k.startsWith("LLAMA_ARG_") || k.equals("LLAMA_API_KEY"));
        Process process = pb.start();
        URI base = URI.create("http://127.0.0.1:" + port);
        LlamaServer server = new LlamaServer(process, dir, log, base, slots);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | RuntimeException e) {
            server.stopProcess();
            throw e;
        }
    }

    private void awaitReady() throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(baseUrl.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = logTail(30);
                if (tail.contains("couldn't bind") || tail.contains("Address already in use")) {
                    throw new PortTaken("port of " + baseUrl + " taken");
                }
                throw new IOException("llama-server exited with " + process.exitValue() + " before ready; log tail:\n"
                        + tail);
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for llama-server", e);
            }
            sleep(100);
        }
        throw new IOException("llama-server not ready within " + READY_TIMEOUT.toSeconds() + " s; log tail:\n"
                + logTail(30));
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public int slots() {
        return slots;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the server's own log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stopProcess();
        deleteTree(dir);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway and finds the process gone
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp dir left behind is harmless; the process is what must not be
        }
    }
}
