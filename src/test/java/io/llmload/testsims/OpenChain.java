package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.llmload.dsl.LlmArrivalsBuilder;
import io.llmload.load.ArrivalSchedule;
import io.llmload.sim.LlmSimulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test simulation: open-model arrivals that are more than one request. {@code -Dtest.chain=steps}:
 * each arrival asks, pauses 300 ms and asks again; {@code turns}: each arrival is a three-turn
 * conversation whose history grows with the server's answers; {@code shard}: only even arrivals;
 * {@code exit}: a failed request and exitHereIfFailed end each arrival.
 */
public class OpenChain extends LlmSimulation {
  String chain = params.choice("test.chain", "steps", "steps", "turns", "shard", "exit");
  double rate = params.positiveDouble("rate", 10);
  Duration duration = params.positiveDuration("duration", Duration.ofSeconds(1));

  private static List<Map<String, Object>> history(io.gatling.javaapi.core.Session s) {
    List<Map<String, Object>> h = new ArrayList<>();
    if (s.contains("history")) h.addAll(s.getList("history"));
    return h;
  }

  {
    ChainBuilder steps = switch (chain) {
      case "turns" -> repeat(3, "turn").on(
          exec(llm("turn")
                  .messages(s -> {
                    List<Map<String, Object>> h = history(s);
                    h.add(Map.of("role", "user", "content", "question " + (s.getInt("turn") + 1)));
                    return h;
                  })
                  .maxTokens(maxTokens)
                  .check(content().saveAs("answer")))
              .exec(s -> {
                List<Map<String, Object>> h = history(s);
                h.add(Map.of("role", "user", "content", "question " + (s.getInt("turn") + 1)));
                h.add(Map.of("role", "assistant", "content", s.getString("answer")));
                return s.set("history", h);
              }));
      case "shard" -> exec(llm("even").prompt(prompt).maxTokens(maxTokens));
      // a check that cannot hold, then exitHereIfFailed: the arrival ends there, the run goes on
      case "exit" -> exec(llm("doomed").prompt(prompt).maxTokens(maxTokens).check(outputTokens().lt(0)))
          .exitHereIfFailed()
          .exec(llm("unreached").prompt(prompt).maxTokens(maxTokens));
      default -> exec(llm("first").prompt(prompt).maxTokens(maxTokens))
          .pause(Duration.ofMillis(300))
          .exec(llm("second").prompt(prompt).maxTokens(maxTokens));
    };
    LlmArrivalsBuilder a = arrivals(() -> ArrivalSchedule.constant(rate, duration));
    if (chain.equals("shard")) a = a.select(i -> i % 2 == 0);
    setUp(scenario("open").exec(a.exec(steps)).injectOpen(atOnceUsers(1))).protocols(llmProtocol());
  }
}
