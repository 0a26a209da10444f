package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.llmload.dsl.LlmRequestActionBuilder;
import io.llmload.sim.LlmSimulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test simulation: Gatling's own features around {@code llm(...)}. With {@code -Dtest.throttle=R}
 * it is one closed scenario throttled to R requests/s; with {@code -Dtest.maxDuration=true}, four
 * users loop on llm(...) forever under a 3 s maxDuration; otherwise one small scenario per feature
 * (group, pause, exitHereIfFailed, tryMax, randomSwitch, feeder), checked by Gatling assertions
 * and by the records.
 */
public class GatlingFeatures extends LlmSimulation {
  int throttleRps = params.intIn("test.throttle", 0, 0, 1000);
  boolean foreverUntilMaxDuration = params.bool("test.maxDuration", false);

  private LlmRequestActionBuilder ask(String name) {
    return llm(name).prompt(prompt).maxTokens(maxTokens);
  }

  {
    if (foreverUntilMaxDuration) {
      setUp(scenario("forever").forever().on(exec(ask("forever")))
              .injectOpen(atOnceUsers(4)))
          .protocols(llmProtocol())
          .maxDuration(Duration.ofSeconds(3));
    } else if (throttleRps > 0) {
      setUp(scenario("throttled").during(Duration.ofSeconds(3)).on(exec(ask("throttled")))
              .injectOpen(atOnceUsers(4)))
          .protocols(llmProtocol())
          .throttle(jumpToRps(throttleRps), holdFor(Duration.ofSeconds(4)));
    } else {
      List<PopulationBuilder> all = new ArrayList<>();
      all.add(scenario("grouped").group("turn").on(exec(ask("grouped"))).injectOpen(atOnceUsers(1)));
      all.add(scenario("paused").exec(ask("before")).pause(Duration.ofMillis(400)).exec(ask("after"))
          .injectOpen(atOnceUsers(1)));
      // a check that cannot hold: the request is KO
      all.add(scenario("exit").exec(ask("doomed").check(outputTokens().lt(0))).exitHereIfFailed()
          .exec(ask("unreached")).injectOpen(atOnceUsers(1)));
      all.add(scenario("retry").tryMax(3).on(exec(ask("flaky").check(outputTokens().lt(0))))
          .injectOpen(atOnceUsers(1)));
      all.add(scenario("switch").randomSwitch().on(
              percent(50.0).then(exec(ask("heads"))), percent(50.0).then(exec(ask("tails"))))
          .injectOpen(atOnceUsers(20)));
      all.add(scenario("fed")
          .feed(listFeeder(List.<Map<String, Object>>of(Map.of("n", 3), Map.of("n", 5), Map.of("n", 7))))
          .exec(llm("fed").prompt(prompt).maxTokens("#{n}"))
          .injectOpen(atOnceUsers(3)));
      List<Assertion> checks = List.of(
          details("turn", "grouped").allRequests().count().is(1L),
          details("before").successfulRequests().count().is(1L),
          details("after").successfulRequests().count().is(1L),
          details("doomed").failedRequests().count().is(1L),
          details("flaky").failedRequests().count().is(3L),
          details("fed").successfulRequests().count().is(3L));
      setUp(all).protocols(llmProtocol()).assertions(checks);
    }
  }
}
