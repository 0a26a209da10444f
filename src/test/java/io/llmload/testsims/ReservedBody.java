package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Test simulation: a request body that would drop TGI's details, which must stop the run before load. */
public class ReservedBody extends LlmSimulation {
  ScenarioBuilder chat =
      scenario("chat").exec(request("chat").body("parameters", Map.of("details", false)));

  {
    phases(List.of(PlannedPhase.of("all", 1, Duration.ZERO, Duration.ofMinutes(1))));
    setUp(chat.injectOpen(atOnceUsers(1))).protocols(llmProtocol());
  }
}
