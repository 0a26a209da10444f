package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N concurrent streams for a duration (k6's constant VUs): latency and throughput at a fixed load.
 *
 * <pre>mvn gatling:test -Dusers=20 -Dduration=30s [-Dramp=10s] [-Dtarget=http://host:8000]</pre>
 */
public class ConstantUsers extends LlmSimulation {

  int users = params.positiveInt("users", 10);
  Duration duration = params.positiveDuration("duration", Duration.ofSeconds(30));
  Duration ramp = params.duration("ramp", Duration.ZERO);

  // each user's k-th request asks the workload's record of (user, k), on any shard
  ScenarioBuilder chat = scenario("chat").exec(closedUser(users, request("chat")));

  {
    int whole = users;
    users = shards.share(users); // this generator's part of a sharded load
    List<ClosedInjectionStep> steps = new ArrayList<>();
    List<PlannedPhase> plan = new ArrayList<>();
    if (!ramp.isZero()) {
      steps.add(rampConcurrentUsers(1).to(users).during(ramp));
      plan.add(PlannedPhase.of("ramp", users, Duration.ZERO, ramp));
    }
    steps.add(constantConcurrentUsers(users).during(duration));
    plan.add(PlannedPhase.of("c" + whole, users, ramp, duration));
    phases(plan);

    setUp(chat.injectClosed(steps))
        .protocols(llmProtocol())
        .assertions(sloAssertions("chat"));
  }
}
