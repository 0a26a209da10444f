package io.llmload.dsl;

import io.gatling.commons.stats.OK$;
import io.gatling.core.CoreComponents;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * What the suite's injecting actions (the open model's arrivals, the capacity search's gated users)
 * share: one pacing user that starts a Gatling user of its own for each run of a chain, and goes on
 * when they all ended. Each such user ends in {@link ArrivalsAction.ArrivalExit}, which tells the
 * action that started it (Gatling's own exit would tell the injector of a user it never started).
 */
abstract class InjectingAction implements Action {
  /** What an injecting action is wired to. */
  record Wiring(Action entry, StatsEngine stats, EventLoopGroup loops, Action next,
      io.llmload.record.@Nullable RunContext run) {}

  private final String name;
  private final com.typesafe.scalalogging.Logger logger;
  /** The chain's first action. */
  final Action entry;
  final StatsEngine stats;
  final EventLoopGroup loops;
  /** Where the pacing user goes on. */
  final Action next;
  /** The run of the protocol's requests (anchors the phase windows, stops at the end), or null. */
  final io.llmload.record.@Nullable RunContext run;

  InjectingAction(String name, Wiring w) {
    this.name = name;
    this.logger = com.typesafe.scalalogging.Logger.apply(LoggerFactory.getLogger(getClass()));
    this.entry = w.entry();
    this.stats = w.stats();
    this.loops = w.loops();
    this.next = w.next();
    this.run = w.run();
  }

  /**
   * A Gatling action that builds the chain so that its users end in an {@link
   * ArrivalsAction.ArrivalExit} ({@code exitHere} inside the chain ends that user only), then the
   * injecting action around it.
   */
  static ActionBuilder builder(io.gatling.core.structure.ChainBuilder chain, Function<Wiring, Action> make) {
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
            Action entry = chain.build(userCtx, end);
            LlmProtocol.Components llm = ctx.protocolComponentsRegistry().components(LlmProtocol.KEY);
            return make.apply(new Wiring(entry, cc.statsEngine(), cc.eventLoopGroup(), next, llm.run));
          }
        };
  }

  /** A new user from {@code s}'s attributes, on an event loop of its own choosing. */
  Session newUser(Session s, long id) {
    return s.copy(s.scenario(), id, s.attributes(), OK$.MODULE$, s.blockStack(), Session.NothingOnExit(), loops.next());
  }

  /** Counts the user in and runs the chain on its event loop (at once when already there). */
  void startUser(Session u) {
    stats.logUserStart(u.scenario());
    EventLoop loop = u.eventLoop();
    if (loop.inEventLoop()) entry.$bang(u);
    else loop.execute(() -> entry.$bang(u));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public com.typesafe.scalalogging.Logger logger() {
    return logger;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(com.typesafe.scalalogging.Logger l) {}
}
