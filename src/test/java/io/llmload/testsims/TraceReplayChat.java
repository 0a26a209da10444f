package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.dsl.LlmRequestActionBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import io.llmload.workload.TraceInjection;
import io.llmload.workload.Workload;
import io.llmload.workload.WorkloadContext;
import io.llmload.workload.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Test simulation: one request per line of {@code -Dtrace}, each started at its arrival offset. */
public class TraceReplayChat extends LlmSimulation {
  {
    LlmRequestActionBuilder request = request("chat");
    ScenarioBuilder replay = scenario("replay").feed(feeder()).exec(request);
    List<Long> offsets = workload.arrivalOffsetsMs();
    long last = offsets.get(offsets.size() - 1);
    phases(List.of(PlannedPhase.of("trace", offsets.size(), Duration.ZERO, Duration.ofMillis(last + 1))));
    setUp(replay.injectOpen(TraceInjection.steps(offsets))).protocols(llmProtocol());
  }
}
