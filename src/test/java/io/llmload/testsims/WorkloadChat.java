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

  Workload workload =
      Workloads.fromParams(
          params, new WorkloadContext(target.url(), protocol, model, prompt, maxTokens, null, emulator() != null));

  ScenarioBuilder chat;

  {
    params.note("workload.description", workload.describe());
    LlmRequestActionBuilder request = llm("chat").prompt("#{prompt}").maxTokens("#{maxTokens}");
    for (Map.Entry<String, Object> e : workload.extraBody().entrySet()) {
      request = request.body(e.getKey(), e.getValue());
    }
    chat = scenario("chat").feed(workload.feeder()).exec(request);
    phases(List.of(PlannedPhase.of("all", requests, Duration.ZERO, Duration.ofMinutes(1))));
    setUp(chat.injectOpen(atOnceUsers(requests))).protocols(llmProtocol());
  }
}
