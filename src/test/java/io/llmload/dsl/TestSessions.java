package io.llmload.dsl;

import io.gatling.commons.stats.OK$;
import io.gatling.javaapi.core.Session;
import java.util.Map;

/** Gatling sessions for in-process tests, holding the given attributes. */
final class TestSessions {
  private TestSessions() {}

  static Session of(Map<String, Object> attributes) {
    io.gatling.core.session.Session s =
        new io.gatling.core.session.Session(
            "test",
            1L,
            scala.collection.immutable.Map$.MODULE$.empty(),
            OK$.MODULE$,
            scala.collection.immutable.List$.MODULE$.empty(),
            io.gatling.core.session.Session$.MODULE$.NothingOnExit(),
            null);
    return new Session(s).setAll(attributes);
  }
}
