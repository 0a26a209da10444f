package io.llmload.dsl;

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
    return InjectingAction.builder(steps, w -> new UsersAction(g, f, w));
  }
}
