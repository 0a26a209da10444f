package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.dsl.LlmRequestActionBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import io.llmload.workload.Workload;
import io.llmload.workload.WorkloadContext;
import io.llmload.workload.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Test simulation: a fixed number of requests whose prompt and output length come from the
 * workload properties ({@code -Dworkload=synthetic -Dinput=... -Doutput=...}).
 */
public class WorkloadChat extends LlmSimulation {
  int requests = params.positiveInt("test.requests", 12);

  ScenarioBuilder chat;

  {
    LlmRequestActionBuilder request = request("chat");
    chat = scenario("chat").feed(feeder()).exec(request);
    phases(List.of(PlannedPhase.of("all", requests, Duration.ZERO, Duration.ofMinutes(1))));
    setUp(chat.injectOpen(atOnceUsers(requests))).protocols(llmProtocol());
  }
}
