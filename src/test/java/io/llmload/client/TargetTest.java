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

  @Test
  void basePathsJoinEndpointsWithoutRepeatingThem() {
    assertEquals("/v1/chat/completions", Target.parse("http://h:8000").requestUri("/v1/chat/completions"));
    assertEquals("/v1/chat/completions", Target.parse("http://h:8000/v1").requestUri("/v1/chat/completions"));
    assertEquals("/v1/chat/completions", Target.parse("http://h:8000/v1/").requestUri("/v1/chat/completions"));
    assertEquals("/llm/v1/chat/completions", Target.parse("http://h/llm/v1").requestUri("/v1/chat/completions"));
    assertEquals("/gw/v1/chat/completions", Target.parse("http://h/gw").requestUri("/v1/chat/completions"));
    assertEquals("/v1/chat/completions", Target.parse("http://h/v1/chat/completions").requestUri("/v1/chat/completions"));
    assertEquals("/api/chat", Target.parse("http://h:11434/api").requestUri("/api/chat"));
    Target azure = Target.parse("https://r.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21");
    assertEquals("/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21", azure.requestUri("/v1/chat/completions"));
    assertEquals("https://r.openai.azure.com:443/openai/deployments/gpt4o", azure.url());
    assertEquals("https://r.openai.azure.com:443/openai/deployments/gpt4o?api-version=2024-10-21", azure.urlForRecord());
    assertEquals("http://h:80/x?api-version=1&sig=***", Target.parse("http://h/x?api-version=1&sig=abc").urlForRecord());
  }

  @Test
  void apiKeysGoInTheirHeaderAndAreMasked() {
    ApiKey bearer = ApiKey.of("Authorization", "sk-1");
    assertEquals("Bearer sk-1", bearer.headerValue());
    ApiKey azure = bearer.inHeader("api-key");
    assertEquals("api-key", azure.header());
    assertEquals("sk-1", azure.headerValue());
    assertFalse(azure.toString().contains("sk-1"));
    var e = assertThrows(IllegalArgumentException.class, () -> ApiKey.of("x api key", "k"));
    assertTrue(e.getMessage().startsWith("apiKeyHeader: 'x api key' is not an HTTP header name"), e.getMessage());
  }
}
