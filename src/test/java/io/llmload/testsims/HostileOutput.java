package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.List;

/**
 * Test simulation: the (synthetic) model answers with an HTML/script payload, and a content check
 * fails on it, so the payload reaches every place that shows failure messages.
 */
public class HostileOutput extends LlmSimulation {
  public static final String PAYLOAD = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

  ScenarioBuilder chat =
      scenario("hostile")
          .exec(
              llm("chat")
                  .prompt(prompt)
                  .maxTokens(maxTokens)
                  .header("x-emulator-content", PAYLOAD)
                  .check(content().is("a harmless answer")));

  {
    phases(List.of(PlannedPhase.of("all", 2, Duration.ZERO, Duration.ofMinutes(1))));
    setUp(chat.injectOpen(atOnceUsers(2))).protocols(llmProtocol());
  }
}
