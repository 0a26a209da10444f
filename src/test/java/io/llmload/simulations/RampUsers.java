package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Concurrency ramps from {@code from} to {@code to} over {@code ramp}, then holds for {@code
 * duration}: where latency starts to break. The ramp is reported in ten bands of concurrency.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=io.llmload.simulations.RampUsers -Dfrom=1 -Dto=64 -Dramp=2m -Dduration=30s</pre>
 */
public class RampUsers extends LlmSimulation {

  int from = params.intIn("from", 1, 0, 1_000_000);
  int to = params.positiveInt("to", 32);
  Duration ramp = params.positiveDuration("ramp", Duration.ofSeconds(60));
  Duration hold = params.duration("duration", Duration.ofSeconds(30));

  ScenarioBuilder chat = scenario("chat").exec(closedUser(Math.max(Math.max(from, to), 1), request("chat")));

  {
    List<PlannedPhase> plan = new ArrayList<>();
    int bands = Math.max(1, Math.min(10, Math.abs(to - from)));
    Duration band = ramp.dividedBy(bands);
    for (int i = 0; i < bands; i++) {
      // a band is named for the concurrency it reaches at its end
      int level = from + (int) Math.round((to - from) * (i + 1) / (double) bands);
      plan.add(PlannedPhase.of("ramp-" + level, shards.share(level), band.multipliedBy(i), band));
    }
    List<ClosedInjectionStep> steps = new ArrayList<>();
    // a shard ramps between its shares of both ends; the shares add up at every step's ends
    steps.add(rampConcurrentUsers(shards.share(from)).to(shards.share(to)).during(ramp));
    if (!hold.isZero()) {
      steps.add(constantConcurrentUsers(shards.share(to)).during(hold));
      plan.add(PlannedPhase.of("c" + to, shards.share(to), ramp, hold));
    }
    phases(plan);
    setUp(chat.injectClosed(steps)).protocols(llmProtocol()).assertions(sloAssertions("chat"));
  }
}
