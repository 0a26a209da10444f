package io.llmload.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.testing.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's simulation commands run as written, in a short form: the same simulation, emulator
 * profile, levels, rates, output lengths and arrival process, with durations cut to seconds (and
 * 8 output tokens in the closed model, whose users wait and so cannot overload a server).
 * Each must end with exit code 0 and no failed request (an overloaded example ends in timeouts).
 */
class ReadmeCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROP = Pattern.compile("-D([\\w.]+)=(\\S+)");

  /** The {@code mvn gatling:test} lines of the README's "The simulations" section. */
  static List<String> commands() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("\n## The simulations");
    int to = readme.indexOf("\n## ", from + 1);
    assertTrue(from >= 0 && to > from, "README has a simulations section");
    List<String> out = new ArrayList<>();
    for (String line : readme.substring(from, to).split("\n")) {
      if (line.startsWith("mvn gatling:test")) out.add(line.trim());
    }
    return out;
  }

  /** The command's properties, shortened. */
  static Map<String, String> shortForm(String command) {
    Map<String, String> p = new LinkedHashMap<>();
    Matcher m = PROP.matcher(command);
    while (m.find()) p.put(m.group(1), m.group(2));
    // given or not (the defaults are 30 s and more): a simulation reads only its own
    p.put("duration", "1s");
    p.put("levelDuration", "1500ms");
    p.put("warmup", "0s");
    // a closed model cannot overload a server (its users wait): fewer tokens only shorten it; an
    // open model's load per second is its rate times its tokens, so that stays as written
    if (!p.containsKey("rate")) p.put("maxTokens", "8");
    p.put("console.period", "0s");
    return p;
  }

  @Test
  void everySimulationCommandRunsWithoutAFailedRequest(@TempDir Path dir) throws Exception {
    List<String> commands = commands();
    assertTrue(commands.size() >= 4, "the README's commands: " + commands);
    int i = 0;
    for (String c : commands) {
      Map<String, String> p = shortForm(c);
      String sim = p.remove("gatling.simulationClass");
      if (sim == null) sim = "io.llmload.simulations.ConstantUsers";
      var r = SimulationRunner.run(sim, p, dir.resolve("run" + i++), Duration.ofSeconds(120));
      assertEquals(0, r.exitCode(), c + "\n" + SimulationRunner.tail(r.output()));
      int n = 0;
      for (String l : Files.readAllLines(r.runFolder().resolve("requests.jsonl"))) {
        JsonNode rec = JSON.readTree(l);
        assertEquals("ok", rec.get("status").asText(), c + ": " + l);
        n++;
      }
      assertTrue(n > 0, c + ": requests were sent");
      System.out.println("README command ran (short form, " + n + " requests): " + c);
    }
  }
}
