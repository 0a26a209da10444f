package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.load.ArrivalSchedule;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A long run, closed ({@code users}) or open ({@code rate}), cut into snapshot windows so leaks,
 * drift and thermal throttling show as a trend; the summary is refreshed at every snapshot, so a
 * run of hours can be read while it goes on.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=io.llmload.simulations.Soak -Dusers=16 -Dduration=4h -Dsnapshot=5m</pre>
 */
public class Soak extends LlmSimulation {

  Duration duration = params.positiveDuration("duration", Duration.ofHours(1));
  Duration snapshot = params.positiveDuration("snapshot", Duration.ofMinutes(5));
  Double rate = params.optionalPositiveDouble("rate");
  int users = params.positiveInt("users", 10);

  {
    ScenarioBuilder chat;
    PopulationBuilder population;
    double level = rate != null ? rate / shards.count() : shards.share(users);
    if (rate != null) {
      double r = rate;
      var arrivals = arrivals(() -> ArrivalSchedule.constant(r, duration)).feed(workload::feeder);
      if (shards.split()) arrivals = arrivals.select(shards::owns); // striped by arrival index
      pacedStart(); // the pacer waits for -DstartAt itself
      chat = scenario("chat").exec(arrivals.send(request("chat")));
      population = chat.injectOpen(atOnceUsers(1));
    } else {
      chat = scenario("chat").exec(closedUser(users, request("chat")));
      population = chat.injectClosed(constantConcurrentUsers(shards.share(users)).during(duration));
    }
    List<PlannedPhase> plan = new ArrayList<>();
    int windows = (int) Math.max(1, Math.ceil(duration.toMillis() / (double) snapshot.toMillis()));
    for (int i = 0; i < windows; i++) {
      Duration start = snapshot.multipliedBy(i);
      Duration len = i == windows - 1 ? duration.minus(start) : snapshot;
      plan.add(PlannedPhase.of(String.format(java.util.Locale.ROOT, "t%03d", i), level, start, len));
    }
    phases(plan);
    refreshSummaryEvery(snapshot);
    setUp(population).protocols(llmProtocol()).assertions(sloAssertions("chat"));
  }
}
