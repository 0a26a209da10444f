package io.llmload.dsl;

import io.gatling.core.CoreComponents;
import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.llmload.load.UserGate;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.NonNull;
import org.jspecify.annotations.Nullable;

/**
 * A closed-model load behind a {@link UserGate} whose width may change during the run (a capacity
 * search): each request is a user of its own, started when a slot frees. Immutable.
 *
 * <pre>{@code
 * UserGate gate = new UserGate();
 * scenario("chat").exec(users(gate).feed(workload::feeder).send(llm("chat").prompt("#{prompt}")));
 * gate.width(8); ... gate.stop();
 * }</pre>
 */
public final class LlmUsersBuilder {
  private final UserGate gate;
  private final @Nullable Supplier<Iterator<Map<String, Object>>> feeder;

  LlmUsersBuilder(UserGate gate, @Nullable Supplier<Iterator<Map<String, Object>>> feeder) {
    this.gate = gate;
    this.feeder = feeder;
  }

  /** Session attributes for each request, one feeder record each (a finite feeder stops the gate). */
  public @NonNull LlmUsersBuilder feed(@NonNull Supplier<Iterator<Map<String, Object>>> f) {
    return new LlmUsersBuilder(gate, f);
  }

  /** @return an action for {@code exec(...)} that runs until the gate is stopped and its users ended */
  public @NonNull ActionBuilder send(@NonNull LlmRequestActionBuilder request) {
    UserGate g = gate;
    Supplier<Iterator<Map<String, Object>>> f = feeder;
    io.gatling.core.structure.ChainBuilder steps = CoreDsl.exec(request).wrapped;
    return () ->
        new io.gatling.core.action.builder.ActionBuilder() {
          @Override
          public Action build(ScenarioContext ctx, Action next) {
            CoreComponents cc = ctx.coreComponents();
            Action end = new ArrivalsAction.ArrivalExit(cc.statsEngine());
            CoreComponents userComponents = new CoreComponents(cc.actorSystem(), cc.eventLoopGroup(),
                cc.controller(), cc.throttler(), cc.statsEngine(), cc.clock(), end, cc.configuration());
            ScenarioContext userCtx = new ScenarioContext(
                userComponents, ctx.protocolComponentsRegistry(), ctx.pauseType(), ctx.throttled());
            Action entry = steps.build(userCtx, end);
            LlmProtocol.Components llm = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
            return new UsersAction(g, f, entry, cc.statsEngine(), cc.eventLoopGroup(), next, llm.run);
          }
        };
  }
}
