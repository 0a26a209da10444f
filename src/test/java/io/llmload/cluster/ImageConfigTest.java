package io.llmload.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The image's JVM is the Gatling JVM of `mvn gatling:test`: every option the POM gives the
 * gatling-maven-plugin (but the results folder, which the image chooses per shard) and the plugin's
 * own defaults are among Jib's jvmFlags, and the image's name carries the POM's version.
 */
class ImageConfigTest {
  /** gatling-maven-plugin 4's default JVM options (GatlingMojo), as SimulationRunner passes them. */
  static final List<String> PLUGIN_DEFAULTS = List.of("-Xmx1g", "-XX:+HeapDumpOnOutOfMemoryError",
      "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12", "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");

  @Test
  void theImageCarriesTheGatlingJvmOptions() throws Exception {
    Document pom = pom();
    List<String> gatling = pluginValues(pom, "gatling-maven-plugin", "jvmArg");
    List<String> jib = pluginValues(pom, "jib-maven-plugin", "jvmFlag");
    assertTrue(gatling.contains("-XX:+UseZGC"), gatling.toString());
    for (String o : gatling) {
      if (!o.startsWith("-Dllmload.resultsDir=")) assertTrue(jib.contains(o), "Jib's jvmFlags lack " + o);
    }
    assertTrue(jib.containsAll(PLUGIN_DEFAULTS), jib.toString());
    assertEquals(List.of("io.llmload.cluster.ImageMain"), pluginValues(pom, "jib-maven-plugin", "mainClass"));
    assertEquals(List.of("llm-load-suite:${project.version}"), properties(pom, "image.name"));
  }

  static String pomVersion() throws Exception {
    Element project = pom().getDocumentElement();
    for (var n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("version")) return e.getTextContent().trim();
    }
    throw new AssertionError("no version in pom.xml");
  }

  static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
  }

  private static List<String> properties(Document pom, String name) {
    List<String> out = new ArrayList<>();
    NodeList l = pom.getElementsByTagName(name);
    for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent().trim());
    return out;
  }

  /** The texts of {@code tag} elements inside the plugin whose artifactId is {@code artifact}. */
  static List<String> pluginValues(Document pom, String artifact, String tag) {
    List<String> out = new ArrayList<>();
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element p = (Element) plugins.item(i);
      NodeList ids = p.getElementsByTagName("artifactId");
      if (ids.getLength() == 0 || !ids.item(0).getTextContent().trim().equals(artifact)) continue;
      NodeList l = p.getElementsByTagName(tag);
      for (int j = 0; j < l.getLength(); j++) out.add(l.item(j).getTextContent().trim());
    }
    assertFalse(out.isEmpty(), "no <" + tag + "> in " + artifact);
    return out;
  }
}
