package io.llmload.realserver;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.llmload.dsl.LlmDsl.llm;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.llmload.record.Phase;
import io.llmload.record.RunContext;
import io.llmload.record.RunRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A closed-model run of the suite's {@code llm(...)} action against a real server: {@code users} virtual
 * users, each sending one streamed request and being replaced when it ends, for {@code duration}. Records
 * go to {@code requests.jsonl} in the run folder as in any suite run. Driven by {@link GatlingRun}, which
 * passes the parameters as {@code llmload.realserver.*} system properties.
 */
public class RealServerSimulation extends Simulation {

    static final String PREFIX = "llmload.realserver.";

    private final RunRecorder recorder;
    private final RunContext context;
    private final int users;
    private final Duration duration;

    public RealServerSimulation() {
        String target = required("target");
        String protocol = required("protocol");
        users = Integer.parseInt(required("users"));
        duration = Duration.ofMillis(Long.parseLong(required("durationMs")));
        int maxTokens = Integer.parseInt(required("maxTokens"));
        try {
            recorder = new RunRecorder(Path.of(required("results")), getClass().getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context = new RunContext(recorder);
        RunContext.install(context);

        // Prompts differ per user so the server's prompt cache cannot serve them whole.
        ScenarioBuilder load = scenario("realserver").exec(
                llm("generate")
                        .prompt(s -> "Request from user " + s.userId() + ": write a long story about the sea.")
                        .maxTokens(maxTokens));
        setUp(load.injectClosed(constantConcurrentUsers(users).during(duration)))
                .protocols(llm.target(target).protocol(protocol).model("tiny-random-llama"));
    }

    private static String required(String name) {
        String v = System.getProperty(PREFIX + name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(PREFIX + name + ": not set; GatlingRun sets it");
        }
        return v;
    }

    @Override
    public void before() {
        long startUs = System.currentTimeMillis() * 1000;
        context.phases(List.of(new Phase("constant-" + users, (double) users, startUs,
                startUs + duration.toNanos() / 1000, startUs)));
        recorder.armLocator(System.currentTimeMillis());
    }

    @Override
    public void after() {
        recorder.awaitRunFolder(10_000);
        recorder.close();
        RunContext.install(null);
    }
}
