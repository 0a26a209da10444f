package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Output formats, on SYNTHETIC summaries. */
class GateReportTest {
  /** A phase name that is hostile in XML and Markdown: it comes from an input file. */
  private static final String NASTY = "c8 <script>&\"|'";

  private static GateResult regressedResult(boolean allowInconclusive) {
    ObjectNode base = SyntheticSummary.create().phase(NASTY, 8, 400, 300, 20, 0, 1)
        .phase("tiny", 1, 10, 100, 20, 0, 2).build();
    ObjectNode cur = SyntheticSummary.create().phase(NASTY, 8, 400, 300, 22, 0, 3)
        .phase("tiny", 1, 10, 100, 20, 0, 4).build();
    return Gate.compare(base, cur, GateOptions.defaults().allowInconclusive(allowInconclusive));
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void junitXmlParsesBackWithOneCasePerPhaseAndMetric() throws Exception {
    GateResult r = regressedResult(false);
    Document d = parse(GateReport.junitXml(r));
    Element suite = d.getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    NodeList cases = d.getElementsByTagName("testcase");
    assertEquals(r.results().size(), cases.getLength());
    assertEquals(14, cases.getLength());
    long regressed = r.count(Verdict.REGRESSED);
    long inconclusive = r.count(Verdict.INCONCLUSIVE);
    assertTrue(regressed > 0 && inconclusive > 0);
    assertEquals(String.valueOf(regressed + inconclusive), suite.getAttribute("failures"));
    assertEquals(regressed + inconclusive, d.getElementsByTagName("failure").getLength());
    Element first = (Element) cases.item(0);
    assertEquals("gate." + NASTY, first.getAttribute("classname"));
    assertEquals("ttft_p50", first.getAttribute("name"));
    Element tpot = (Element) cases.item(2);
    assertEquals("tpot_p50", tpot.getAttribute("name"));
    Element failure = (Element) tpot.getElementsByTagName("failure").item(0);
    assertEquals("regressed", failure.getAttribute("type"));
    assertTrue(failure.getAttribute("message").contains("beyond the tolerance"));
  }

  @Test
  void allowedInconclusiveIsSkippedInJunit() throws Exception {
    GateResult r = regressedResult(true);
    Document d = parse(GateReport.junitXml(r));
    assertEquals(r.count(Verdict.INCONCLUSIVE), d.getElementsByTagName("skipped").getLength());
    assertEquals(String.valueOf(r.count(Verdict.REGRESSED)), d.getDocumentElement().getAttribute("failures"));
  }

  @Test
  void markdownEscapesInputText() {
    String md = GateReport.markdown(regressedResult(false));
    assertTrue(md.startsWith("## Regression gate: regressed\n"));
    assertFalse(md.contains("<script>"));
    assertTrue(md.contains("c8 &lt;script&gt;&\"\\|'"), md);
    // header, separator and 14 rows
    assertEquals(16, md.lines().filter(l -> l.startsWith("|")).count());
    assertTrue(md.contains("| **regressed** |"));
  }

  @Test
  void verdictJsonCarriesEveryFindingWithNullsForAbsentValues() throws Exception {
    GateResult r = regressedResult(false);
    JsonNode j = SyntheticSummary.MAPPER.readTree(GateReport.json(r));
    assertEquals(1, j.get("schema").asInt());
    assertEquals("regressed", j.get("verdict").asText());
    assertEquals(1, j.get("exit_code").asInt());
    assertEquals(14, j.get("results").size());
    JsonNode tiny = j.get("results").get(7);
    assertEquals("tiny", tiny.get("phase").asText());
    assertEquals("inconclusive", tiny.get("verdict").asText());
    assertTrue(tiny.get("p_value").isNull());
    assertTrue(tiny.get("ci_low").isNull());
  }

  @Test
  void consoleHasALinePerRegression(@TempDir Path dir) throws Exception {
    GateResult r = regressedResult(false);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    GateReport.console(r, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(r.count(Verdict.REGRESSED), out.lines().filter(l -> l.startsWith("gate: REGRESSED")).count());
    assertTrue(out.contains("gate: verdict regressed"));
    GateReport.writeAll(r, dir);
    assertTrue(Files.size(dir.resolve("verdict.md")) > 0);
    parse(Files.readString(dir.resolve("junit-gate.xml")));
  }
}
