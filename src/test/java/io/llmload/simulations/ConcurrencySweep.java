package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.sim.Levels;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Closed-model levels one after another, each with a warm-up and a measured window, all in one
 * run folder; every request is tagged with its level. The seeds' whole study in one command.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=io.llmload.simulations.ConcurrencySweep -Dlevels=1,2,4,8,16,32,64,128,256 -DlevelDuration=30s -Dwarmup=5s</pre>
 *
 * With {@code -DlevelHold} longer than a request's E2E, a level is judged only by requests that ran
 * entirely at its own load (a capacity search's reference sweep needs that when E2E is long).
 */
public class ConcurrencySweep extends LlmSimulation {

  static final Duration TRANSITION = Duration.ofSeconds(1);

  List<Integer> levels = params.parsed("levels", Levels::parse);
  Duration levelDuration = params.positiveDuration("levelDuration", Duration.ofSeconds(30));

  {
    if (levelDuration.compareTo(TRANSITION) <= 0) {
      throw params.invalid("levelDuration: must be longer than 1s (a level's first second may still hold the previous one)");
    }
  }

  Duration warmup = params.duration("warmup", Duration.ofSeconds(5));
  // Each level keeps its users this long after its window, so that every request sent in the window
  // ends under the window's own load (E2E longer than the hold would otherwise finish under the
  // next level's); requests sent in the hold count as the next level's warm-up.
  Duration levelHold = params.duration("levelHold", Duration.ZERO);

  {
    if (levels == null) {
      levels = Levels.parse("1,2,4,8,16,32,64,128,256");
      params.note("levels", "1,2,4,8,16,32,64,128,256");
    }
    ScenarioBuilder chat = scenario("chat").exec(closedUser(java.util.Collections.max(levels), request("chat")));
    List<ClosedInjectionStep> steps = new ArrayList<>();
    List<PlannedPhase> plan = new ArrayList<>();
    Duration offset = Duration.ZERO;
    Duration window = warmup.plus(levelDuration);
    Duration gap = max(levelHold, TRANSITION);
    for (int i = 0; i < levels.size(); i++) {
      boolean last = i == levels.size() - 1;
      // a shard runs its integer share; the shares of all shards add up to the level
      int level = shards.share(levels.get(i));
      Duration hold = last ? Duration.ZERO : levelHold;
      steps.add(constantConcurrentUsers(level).during(window.plus(hold)));
      // Gatling's closed model moves to the next level up to a second early: that second (or the
      // hold before it, if longer) is counted as the next level's warm-up, so no level's
      // statistics mix two concurrencies.
      Duration lead = i == 0 ? Duration.ZERO : gap;
      Duration end = window.plus(hold).minus(last ? Duration.ZERO : gap);
      plan.add(new PlannedPhase("c" + levels.get(i), (double) level, offset.minus(lead), end.plus(lead),
          warmup.plus(lead)));
      offset = offset.plus(window).plus(hold);
    }
    phases(plan);
    setUp(chat.injectClosed(steps)).protocols(llmProtocol()).assertions(sloAssertions("chat"));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
