package io.llmload.dsl;

import io.gatling.core.actor.ActorRef;
import io.gatling.core.controller.throttle.Throttler;
import io.gatling.core.controller.throttle.Throttler$Command$ThrottledRequest;
import io.gatling.core.structure.ScenarioContext;
import org.jspecify.annotations.Nullable;
import scala.runtime.BoxedUnit;

/**
 * Gatling's throttler, asked before each request as Gatling's HTTP requests ask it: with
 * {@code setUp(...).throttle(...)} a request goes when the throttler lets it.
 */
final class GatlingThrottle {
  private final ActorRef<Throttler.Command> throttler;

  private GatlingThrottle(ActorRef<Throttler.Command> throttler) {
    this.throttler = throttler;
  }

  /** The throttle of this scenario, or null when the simulation has none. */
  static @Nullable GatlingThrottle of(ScenarioContext ctx) {
    var t = ctx.coreComponents().throttler();
    return ctx.throttled() && t.isDefined() ? new GatlingThrottle(t.get()) : null;
  }

  /** Runs {@code request} (on the throttler's thread) once the scenario's rate allows it. */
  void submit(String scenario, Runnable request) {
    throttler.$bang(new Throttler$Command$ThrottledRequest(scenario, () -> {
      request.run();
      return BoxedUnit.UNIT;
    }));
  }
}
