package io.llmload.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.dsl.LlmArrivalsBuilder;
import io.llmload.load.ArrivalSchedule;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Open model: requests arrive at a rate (constant or Poisson), optionally after a linear ramp,
 * whether or not earlier ones finished. Each record holds its scheduled instant, so queue delay
 * (how late the generator was) and latency from the scheduled instant are exact.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=io.llmload.simulations.ArrivalRate -Drate=200 -Darrival=poisson -Dduration=60s [-Dramp=30s -Dfrom=10] [-DmaxConcurrency=500]</pre>
 */
public class ArrivalRate extends LlmSimulation {

  double rate = params.positiveDouble("rate", 10);
  String arrival = params.choice("arrival", "constant", "constant", "poisson");
  Duration duration = params.positiveDuration("duration", Duration.ofSeconds(60));
  Duration ramp = params.duration("ramp", Duration.ZERO);
  double from = params.positiveDouble("from", 1);
  Integer maxConcurrency = params.optionalPositiveInt("maxConcurrency");
  long seed = params.intIn("seed", 1, 0, Integer.MAX_VALUE);
  Duration warmup = params.duration("warmup", Duration.ZERO);

  ArrivalSchedule schedule() {
    if (!workload.arrivalOffsetsMs().isEmpty()) {
      // trace replay: the trace's own arrival times, already scaled by trace.timeScale
      return ArrivalSchedule.trace(workload.arrivalOffsetsMs(), 1.0);
    }
    ArrivalSchedule steady =
        arrival.equals("poisson")
            ? ArrivalSchedule.poisson(rate, duration, seed)
            : ArrivalSchedule.constant(rate, duration);
    return ramp.isZero() ? steady : ArrivalSchedule.ramp(from, rate, ramp).then(ramp, steady);
  }

  LlmArrivalsBuilder arrivals = arrivals(this::schedule).feed(workload::feeder); // by arrival index, also when sharded

  {
    if (maxConcurrency != null) arrivals = arrivals.maxConcurrency(maxConcurrency);
    // every shard computes the whole schedule and sends the arrivals whose index is its own
    if (shards.split()) arrivals = arrivals.select(shards::owns);
    pacedStart(); // the pacer waits for -DstartAt itself
    double share = rate / shards.count(); // the phase's level: the shards' levels add up to the rate
    ScenarioBuilder chat = scenario("chat").exec(arrivals.send(request("chat")));
    List<PlannedPhase> plan = new ArrayList<>();
    if (!ramp.isZero()) plan.add(PlannedPhase.of("ramp", share, Duration.ZERO, ramp));
    plan.add(new PlannedPhase("r" + fmt(rate), share, ramp, duration, warmup));
    phases(plan);
    setUp(chat.injectOpen(atOnceUsers(1))).protocols(llmProtocol()).assertions(sloAssertions("chat"));
  }

  static String fmt(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }
}
