package io.llmload.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The confirmation run's verdict files: the combined verdict ({@link Confirmation#result()}) as
 * GateReport writes any verdict, plus a "confirmation" object in verdict.json and a paragraph at
 * the top of verdict.md naming the rule, both run folders and each run's own verdict.
 */
final class ConfirmationReport {
  private ConfirmationReport() {}

  /** Reads the first run's verdict.json (its folder or the file itself) for its regressions. */
  static Confirmation read(Path firstRun, GateResult second) {
    Path file = Files.isDirectory(firstRun) ? firstRun.resolve(GateReport.JSON) : firstRun;
    if (!Files.isRegularFile(file)) {
      throw new GateInputException("confirmRun=" + firstRun + ": no " + GateReport.JSON
          + " there (the first run's folder, gated, is expected)");
    }
    try {
      JsonNode v = new ObjectMapper().readTree(file.toFile());
      if (!v.path("results").isArray()) {
        throw new GateInputException("confirmRun=" + firstRun + ": " + file + " has no gate results (verdict "
            + v.path("verdict").asText("missing") + ")");
      }
      Path folder = Files.isDirectory(firstRun) ? firstRun : file.getParent();
      return new Confirmation(folder == null ? firstRun.toString() : folder.toString(),
          Confirmation.regressedIn(v), second);
    } catch (IOException e) {
      throw new GateInputException("confirmRun=" + firstRun + ": cannot read " + file + ": "
          + GateOptions.oneLine(e.getMessage()), e);
    }
  }

  static void writeAll(Confirmation c, Path secondRun) throws IOException {
    GateResult combined = c.result();
    GateReport.writeAll(combined, secondRun);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = (ObjectNode) mapper.readTree(GateReport.json(combined));
    ObjectNode o = root.putObject("confirmation");
    o.put("rule", Confirmation.RULE);
    o.put("first_run", c.firstRun());
    o.put("first_run_verdict", Verdict.REGRESSED.label());
    c.firstRegressed().stream().sorted().forEach(o.putArray("first_run_regressed")::add);
    o.put("confirmation_run", secondRun.toString());
    o.put("confirmation_run_verdict", c.second().verdict().label());
    c.second().regressions().forEach(m -> o.withArray("confirmation_run_regressed").add(Confirmation.key(m)));
    c.confirmed().forEach(m -> o.withArray("confirmed").add(Confirmation.key(m)));
    o.put("reason", c.reason());
    Files.writeString(secondRun.resolve(GateReport.JSON), mapper.writeValueAsString(root) + "\n",
        StandardCharsets.UTF_8);
    String md = GateReport.markdown(combined);
    int cut = md.indexOf("\n\n");
    String head = md.substring(0, cut) + " (after a confirmation run)\n\n"
        + "Confirmation: " + GateReport.cell(Confirmation.RULE) + ". First run `" + GateReport.cell(c.firstRun())
        + "`: regressed (" + GateReport.cell(String.join(", ", c.firstRegressed().stream().sorted().toList()))
        + "). Confirmation run `" + GateReport.cell(secondRun.toString()) + "`: " + c.second().verdict().label()
        + " on its own. " + GateReport.cell(c.reason()) + ".";
    Files.writeString(secondRun.resolve(GateReport.MARKDOWN), head + md.substring(cut), StandardCharsets.UTF_8);
  }
}
