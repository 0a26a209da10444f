package io.llmload.testsims;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.llmload.dsl.LlmDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.llmload.dsl.LlmRequestActionBuilder;
import io.llmload.sim.LlmSimulation;
import io.llmload.sim.PlannedPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test simulation for the fault matrix: one virtual user per row, all at once, each sending its
 * row's request {@code test.repeat} times. A row is a healthy request or one emulator fault; the
 * row name is the request name, so Gatling's console gives per-fault counts.
 */
public class FaultMix extends LlmSimulation {
  /** Never reached by a request of {@code maxTokens} tokens: the switch stays off. */
  private static final String OFF = "1000000";

  /** Row name, then the x-emulator-fault value (null: none), error-after, truncate-after. */
  public static final List<String[]> ROWS =
      List.of(
          new String[] {"healthy-1", null, OFF, OFF},
          new String[] {"healthy-2", null, OFF, OFF},
          new String[] {"healthy-3", null, OFF, OFF},
          new String[] {"reset-before-headers", "reset-before-headers", OFF, OFF},
          new String[] {"reset-mid-stream", "reset-mid-stream", OFF, OFF},
          new String[] {"stall", "stall", OFF, OFF},
          new String[] {"malformed-chunk", "malformed-chunk", OFF, OFF},
          new String[] {"error-in-200", null, "3", OFF},
          new String[] {"no-final-event", null, OFF, "3"},
          new String[] {"http-429", "http-429", OFF, OFF},
          new String[] {"http-500", "http-500", OFF, OFF},
          new String[] {"http-503", "http-503", OFF, OFF},
          new String[] {"not-a-stream", "not-a-stream", OFF, OFF},
          new String[] {"huge-chunk", "huge-chunk", OFF, OFF},
          new String[] {"trickle", "trickle", OFF, OFF},
          new String[] {"close-after", "close-after", OFF, OFF});

  int repeat = params.positiveInt("test.repeat", 2);

  ScenarioBuilder faults = scenario("faults").feed(listFeeder(feed()).queue()).repeat(repeat).on(request());

  private io.gatling.javaapi.core.ChainBuilder request() {
    LlmRequestActionBuilder base =
        llm("#{row}")
            .prompt(prompt)
            .maxTokens(maxTokens)
            .header("x-emulator-error-after", "#{errorAfter}")
            .header("x-emulator-truncate-after", "#{truncateAfter}");
    return doIfOrElse(s -> s.getString("fault").isEmpty())
        .then(exec(base))
        .orElse(exec(base.header("x-emulator-fault", "#{fault}")));
  }

  private static List<Map<String, Object>> feed() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String[] r : ROWS) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", r[0]);
      m.put("fault", r[1] == null ? "" : r[1]);
      m.put("errorAfter", r[2]);
      m.put("truncateAfter", r[3]);
      out.add(m);
    }
    return out;
  }

  {
    phases(List.of(PlannedPhase.of("all", ROWS.size(), Duration.ZERO, Duration.ofMinutes(1))));
    setUp(faults.injectOpen(atOnceUsers(ROWS.size()))).protocols(llmProtocol());
  }
}
