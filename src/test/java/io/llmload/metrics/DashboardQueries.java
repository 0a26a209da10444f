package io.llmload.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Grafana dashboard in deploy/grafana/, checked without Grafana (it cannot be installed here):
 * its structure is what Grafana's dashboard model needs, and every panel query, with the dashboard's
 * variables filled in, returns data from the Prometheus that scraped a run.
 */
final class DashboardQueries {
  static final Path FILE = Path.of("deploy/grafana/llm-load-suite.json");
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "bargauge", "table", "text");

  private DashboardQueries() {}

  static JsonNode read() throws java.io.IOException {
    return new ObjectMapper().readTree(FILE.toFile());
  }

  /** Grafana's dashboard model: what an import needs and what the panels refer to. */
  static void checkStructure(JsonNode d) {
    assertFalse(d.path("title").asText().isBlank(), "title");
    assertFalse(d.path("uid").asText().isBlank(), "uid");
    assertTrue(d.path("schemaVersion").isInt(), "schemaVersion");
    Set<String> vars = new HashSet<>();
    for (JsonNode v : d.path("templating").path("list")) vars.add(v.path("name").asText());
    assertTrue(vars.containsAll(List.of("datasource", "run")), "variables: " + vars);
    Set<Integer> ids = new HashSet<>();
    assertTrue(d.path("panels").size() >= 8, "panels");
    for (JsonNode p : d.path("panels")) {
      String t = p.path("title").asText();
      assertTrue(ids.add(p.path("id").asInt()), "panel ids are unique: " + t);
      assertTrue(PANEL_TYPES.contains(p.path("type").asText()), t + ": type " + p.path("type"));
      JsonNode g = p.path("gridPos");
      for (String k : List.of("h", "w", "x", "y")) assertTrue(g.path(k).isInt(), t + ": gridPos." + k);
      assertTrue(g.path("x").asInt() + g.path("w").asInt() <= 24, t + ": fits the 24-column grid");
      assertEquals("${datasource}", p.path("datasource").path("uid").asText(), t + ": datasource variable");
      assertTrue(p.path("targets").size() > 0, t + ": has queries");
      Set<String> refs = new HashSet<>();
      for (JsonNode q : p.path("targets")) {
        assertFalse(q.path("expr").asText().isBlank(), t + ": expr");
        assertTrue(refs.add(q.path("refId").asText()), t + ": refIds are unique");
      }
    }
  }

  /** Runs every panel query at {@code atSeconds} with {@code $run} set; returns the panels with no data. */
  static List<String> empty(PrometheusServer prom, JsonNode d, String run, double atSeconds) throws Exception {
    List<String> none = new java.util.ArrayList<>();
    for (JsonNode p : d.path("panels")) {
      for (JsonNode q : p.path("targets")) {
        // Grafana would give $__rate_interval 4 s (four 1 s scrapes); 10 s keeps two samples in the
        // window when scrapes are late on a busy two-core machine (a CI run once found none in 4 s)
        String expr = q.path("expr").asText().replace("$run", run).replace("$__rate_interval", "10s");
        JsonNode res = prom.query(expr, atSeconds);
        boolean data = false;
        for (JsonNode s : res) data |= !"NaN".equals(s.path("value").get(1).asText());
        if (!data) none.add(p.path("title").asText() + " [" + q.path("refId").asText() + "]: " + expr + " at " + atSeconds + " -> " + res);
      }
    }
    return none;
  }
}
