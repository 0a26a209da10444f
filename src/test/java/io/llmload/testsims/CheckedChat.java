package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Test simulation: requests alternate between a fast and a slow prefill and between one and four
 * tokens per chunk, so that both sides of a TTFT bound and of a tokens/s bound occur in one run.
 */
public class CheckedChat extends LlmSimulation {
  double ttftBound = params.positiveDouble("test.ttftBoundMs", 250);
  double tpsBound = params.positiveDouble("test.tpsBound", 60);
  int requests = params.positiveInt("test.requests", 8);

  ScenarioBuilder chat =
      scenario("chat")
          .feed(
              listFeeder(
                      List.of(
                          Map.of("prefill", "20", "tpc", "1"),
                          Map.of("prefill", "500", "tpc", "1"),
                          Map.of("prefill", "20", "tpc", "4"),
                          Map.of("prefill", "500", "tpc", "4")))
                  .circular())
          .exec(
              llm("chat")
                  .prompt(prompt)
                  .maxTokens(maxTokens)
                  .header("x-emulator-prefill-ms", "#{prefill}")
                  .header("x-emulator-tokens-per-chunk", "#{tpc}")
                  .check(ttft().lt(ttftBound), tokensPerSecond().gt(tpsBound)));

  {
    phases(List.of(PlannedPhase.of("all", requests, Duration.ZERO, Duration.ofMinutes(1))));
    setUp(chat.injectOpen(atOnceUsers(requests))).protocols(llmProtocol());
  }
}
