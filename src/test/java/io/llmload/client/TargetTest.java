package io.llmload.client;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void parsesAndStripsSecretsFromTheUrl() {
    Target t = Target.parse("https://user:pass@gpu-box:8443/base/?token=abc");
    assertEquals("gpu-box", t.host());
    assertEquals(8443, t.port());
    assertEquals("/base", t.basePath());
    assertTrue(t.tls());
    assertEquals("https://gpu-box:8443/base", t.url());
    assertFalse(t.url().contains("pass"));
  }

  @Test
  void defaultPortsAndLoopback() {
    assertEquals(80, Target.parse("http://localhost").port());
    assertEquals(443, Target.parse("https://example.test").port());
    assertTrue(Target.parse("http://127.0.0.1:8000").loopback());
    assertFalse(Target.parse("http://gpu-box:8000").loopback());
  }

  @Test
  void rejectsWhatIsNotAnHttpUrl() {
    for (String bad : new String[] {"notaurl", "ftp://host/", "http://", "", "gpu-box:8000"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Target.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("target: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }
}
