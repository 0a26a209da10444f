package io.llmload.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.realserver.LlamaServer;
import io.llmload.realserver.TinyGguf;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The capacity search against the reference sweep (issue #18's acceptance): for each target, the
 * search (reps times, emulator seeds 1..reps, jitter 0.05; once on the real server) and a
 * ConcurrencySweep at the same SLO over levels 1..10 then 10 % apart, 20 s per level after a 5 s
 * warm-up, to its first failing level. Prints answers, brackets, wall times and the ratio.
 *
 * <pre>mvn -q -B test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath io.llmload.capacity.CapacityBench --targets seeds-7b --reps 1"</pre>
 *
 * The sweep's wall time is measured from its JVM's start to the end of its first failing level
 * (run.json); the search's is its JVM's whole life (start-up, probes, aggregation, Gatling report).
 */
public final class CapacityBench {
  /** The SLO and output length of each target: chosen so the emulator profiles' capacity is 30..80 users where asked. */
  record Target(String name, String tpot, int maxTokens, int max) {}

  static final Map<String, Target> TARGETS = new LinkedHashMap<>();

  static {
    // h100-llamacpp-8b: a step of b sequences is 7.515 + 0.1246 b ms, but measured TPOT runs about
    // 2 ms above (12.5 ms held 25 users): 14.5 ms for about 40
    TARGETS.put("h100-llamacpp-8b", new Target("h100-llamacpp-8b", "14.5ms", 64, 128));
    // prod-batch64: 14.43 + 3.752 b ms a step plus admissions' prefill stalls (~0.55 b ms at 64
    // tokens): about 200 ms at b = 43
    TARGETS.put("prod-batch64", new Target("prod-batch64", "200ms", 64, 128));
    // seeds-7b: the same step, at most 16 in the batch: 50 ms at about b = 8
    TARGETS.put("seeds-7b", new Target("seeds-7b", "50ms", 64, 64));
    TARGETS.put("llama-server", new Target("llama-server", "100ms", 32, 64));
  }

  public static void main(String[] args) throws Exception {
    List<String> names = new ArrayList<>(TARGETS.keySet());
    int reps = 3;
    boolean sweep = true;
    Path out = Path.of("target", "capacity-bench");
    String llamaTpot = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--targets" -> names = List.of(args[++i].split(","));
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--no-sweep" -> sweep = false;
        case "--out" -> out = Path.of(args[++i]);
        case "--llama-slo-tpot" -> llamaTpot = args[++i];
        default -> {
          System.err.println("usage: CapacityBench [--targets " + String.join(",", TARGETS.keySet())
              + "] [--reps N] [--no-sweep] [--out DIR] [--llama-slo-tpot 100ms]");
          System.exit(2);
        }
      }
    }
    for (String n : names) {
      if (!TARGETS.containsKey(n)) {
        System.err.println("--targets: '" + n + "' is not one of " + String.join(", ", TARGETS.keySet()));
        System.exit(2);
      }
    }
    System.out.println("| target | SLO | rep | search answer | bracket | search wall (s) | probes | sweep answer | sweep levels | sweep wall (s) | ratio |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (String n : names) {
      Target t = TARGETS.get(n);
      if (n.equals("llama-server") && llamaTpot != null) t = new Target(n, llamaTpot, t.maxTokens(), t.max());
      LlamaServer server = n.equals("llama-server") ? LlamaServer.start(TinyGguf.defaults(), 16, 256) : null;
      try {
        String url = server == null ? null : server.baseUrl().toString();
        int r = server == null ? reps : 1;
        Sweep s = null;
        for (int rep = 1; rep <= r; rep++) {
          Search found = search(t, url, rep, out.resolve(n + "-search-" + rep));
          if (s == null && sweep) s = sweep(t, url, found, out.resolve(n + "-sweep"));
          System.out.printf(Locale.ROOT, "| %s | TPOT ≤ %s, 95%% | %d | %s | %s | %.0f | %d | %s | %s | %s | %s |%n", n, t.tpot(), rep,
              found.answer, found.bracket, found.wallS, found.probes, s == null ? "–" : s.answer,
              s == null ? "–" : s.levels, s == null ? "–" : String.format(Locale.ROOT, "%.0f", s.wallS),
              s == null ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * found.wallS / s.wallS));
        }
      } finally {
        if (server != null) server.close();
      }
    }
  }

  record Search(String answer, String bracket, double wallS, int probes) {}

  record Sweep(String answer, int levels, double wallS) {}

  static Map<String, String> common(Target t, String url, int seed) {
    Map<String, String> p = new HashMap<>();
    p.put("slo.tpot", t.tpot());
    p.put("slo.fraction", "0.95");
    p.put("maxTokens", Integer.toString(t.maxTokens()));
    p.put("console.period", "0");
    p.put("collector", "off");
    if (url != null) {
      p.put("target", url);
    } else {
      p.put("emulator.profile", t.name());
      p.put("emulator.seed", Integer.toString(seed));
      p.put("emulator.jitter", "0.05");
    }
    return p;
  }

  static Search search(Target t, String url, int seed, Path dir) throws Exception {
    Map<String, String> p = common(t, url, seed);
    p.put("max", Integer.toString(t.max()));
    p.put("maxDuration", "15m");
    long t0 = System.nanoTime();
    var r = SimulationRunner.run("io.llmload.simulations.CapacitySearch", p, dir, Duration.ofMinutes(25));
    double wall = (System.nanoTime() - t0) / 1e9;
    if (r.exitCode() != 0) throw new IllegalStateException("search failed:\n" + SimulationRunner.tail(r.output()));
    JsonNode c = new ObjectMapper().readTree(r.runFolder().resolve("capacity.json").toFile());
    String bracket = "[" + c.path("bracket").path("pass").path("load").asText("–") + ", "
        + c.path("bracket").path("fail").path("load").asText("–") + ") " + c.path("outcome").asText();
    return new Search(c.path("answer").asText("none"), bracket, wall, c.path("probes").size());
  }

  /** Levels every integer to 10, then 10 % apart, up to well past the search's failure. */
  static List<Integer> levels(int upTo) {
    List<Integer> l = new ArrayList<>();
    for (int i = 1; i <= Math.min(10, upTo); i++) l.add(i);
    int x = 10;
    while (x < upTo) {
      x = Math.max(x + 1, (int) Math.ceil(x * 1.1));
      l.add(x);
    }
    return l;
  }

  static Sweep sweep(Target t, String url, Search found, Path dir) throws Exception {
    double fail;
    try {
      fail = Double.parseDouble(found.bracket.substring(found.bracket.indexOf(',') + 1, found.bracket.indexOf(')')).trim());
    } catch (NumberFormatException e) {
      fail = t.max();
    }
    List<Integer> levels = levels((int) Math.min(t.max(), Math.ceil(fail * 1.25) + 1));
    Map<String, String> p = common(t, url, 1);
    p.put("levels", String.join(",", levels.stream().map(String::valueOf).toList()));
    p.put("levelDuration", "20s");
    p.put("warmup", "5s");
    long startMs = System.currentTimeMillis();
    var r = SimulationRunner.run("io.llmload.simulations.ConcurrencySweep", p, dir,
        Duration.ofSeconds(60 + 26L * levels.size()));
    if (r.exitCode() != 0 && r.exitCode() != 1) throw new IllegalStateException("sweep failed:\n" + SimulationRunner.tail(r.output()));
    ObjectMapper json = new ObjectMapper();
    JsonNode phases = json.readTree(r.runFolder().resolve("summary.json").toFile()).path("phases");
    JsonNode run = json.readTree(r.runFolder().resolve("run.json").toFile()).path("phases");
    String answer = "none";
    for (int i = 0; i < run.size(); i++) {
      String name = run.get(i).path("name").asText();
      JsonNode ph = null;
      for (JsonNode x : phases) if (name.equals(x.path("name").asText())) ph = x;
      if (ph == null) continue;
      if (ph.path("good_fraction").asDouble() < 0.95) {
        double endMs = run.get(i).path("end_epoch_us").asDouble() / 1000;
        return new Sweep(i == 0 ? "below 1" : answer, i + 1, (endMs - startMs) / 1000);
      }
      answer = ph.path("level").asText();
    }
    return new Sweep("≥ " + answer + " (no level failed)", phases.size(), (System.currentTimeMillis() - startMs) / 1000.0);
  }
}
