package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.capacity.CapacityController;
import io.llmload.capacity.CapacityFile;
import io.llmload.capacity.CapacityResult;
import io.llmload.capacity.Knobs;
import io.llmload.capacity.LoadKnob;
import io.llmload.capacity.SearchSpec;
import io.llmload.load.UserGate;
import io.llmload.sim.LlmSimulation;
import java.io.IOException;
import java.time.Duration;

/**
 * How much load the server holds under an SLO, searched inside one run: one phase per probe, each
 * with its own warm-up, the load set between probes by a controller that judges each probe live
 * from the records (docs/capacity.md). The answer is in capacity.json, summary.json
 * ({@code capacity}), the report and the console's last lines.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=io.llmload.simulations.CapacitySearch -Dsearch=concurrency -Dslo.tpot=150ms -Dmax=128 [-Dprecision=10% -DmaxDuration=10m]</pre>
 */
public class CapacitySearch extends LlmSimulation {

  SearchSpec spec = SearchSpec.from(params);

  {
    if (shards.split()) throw params.invalid("shards: a capacity search runs in one generator; allowed: no -Dshards");
  }

  LoadKnob knob;
  CapacityController controller;

  {
    ScenarioBuilder chat;
    if (spec.rate()) {
      Knobs.Rate rate = new Knobs.Rate(spec.min());
      knob = rate;
      Duration longest = spec.budget().plus(spec.maxWindow()).plus(spec.warmup());
      chat = scenario("chat").exec(arrivals(() -> rate.schedule(longest)).feed(workload::feeder).select(rate::admit)
          .send(request("chat")));
      runContext().recorder().addTap(rate::ended);
    } else {
      UserGate gate = new UserGate();
      knob = Knobs.users(gate);
      chat = scenario("chat").exec(users(gate).feed(this::feeder).send(request("chat")));
    }
    controller = new CapacityController(spec, knob, runContext(), this::finished);
    runContext().recorder().addTap(controller::record);
    Duration hardStop = spec.budget().plus(spec.maxWindow().multipliedBy(2)).plus(Duration.ofMinutes(2));
    setUp(chat.injectOpen(atOnceUsers(1))).protocols(llmProtocol()).maxDuration(hardStop);
  }

  private void finished(CapacityResult r) {
    try {
      CapacityFile.write(runContext().recorder(), r);
    } catch (IOException e) {
      System.err.println("capacity.json not written: " + e.getMessage());
    }
    System.out.println(r.line());
  }

  @Override
  public void before() {
    super.before();
    controller.start();
  }
}
