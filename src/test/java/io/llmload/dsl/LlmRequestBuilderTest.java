package io.llmload.dsl;

import static io.llmload.dsl.LlmDsl.llm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatling.javaapi.core.Session;
import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The request builders: each method changes its own setting and nothing else, and every setting
 * takes a static value, an Expression Language string and a function of the session alike.
 */
class LlmRequestBuilderTest {

  private static final List<Map<String, Object>> CONVERSATION =
      List.of(Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello"),
          Map.of("role", "user", "content", "Name a prime"));

  private static final Session SESSION =
      TestSessions.of(Map.of("m", "llama-3", "n", 48, "t", 0.25, "tag", "abc", "msgs", CONVERSATION));

  private static final LlmConfig CONFIG = LlmDsl.llm.target("http://127.0.0.1:1").model("default-model").config();

  private static RequestSpec spec(LlmRequestActionBuilder b) {
    return RequestAssembly.spec(b.request(), CONFIG, SESSION);
  }

  private static LlmRequestActionBuilder full() {
    return llm("r").prompt("p").maxTokens(1).model("m0").minTokens(1).messages(CONVERSATION).ignoreEos()
        .body("a", 1).header("h", "v").check(LlmDsl.ttft().lt(1));
  }

  /** Every component of the request, by name, for comparing two of them. */
  private static Map<String, Object> fields(LlmRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("prompt", r.prompt());
    m.put("messages", r.messages());
    m.put("maxTokens", r.maxTokens());
    m.put("model", r.model());
    m.put("minTokens", r.minTokens());
    m.put("ignoreEos", r.ignoreEos());
    m.put("body", r.body());
    m.put("headers", r.headers());
    m.put("checks", r.checks());
    return m;
  }

  @Test
  void eachBuilderMethodChangesItsOwnFieldAndKeepsTheOthers() {
    Map<String, UnaryOperator<LlmRequestActionBuilder>> methods = new LinkedHashMap<>();
    methods.put("maxTokens", b -> b.maxTokens(2));
    methods.put("model", b -> b.model("m1"));
    methods.put("minTokens", b -> b.minTokens(2));
    methods.put("messages", b -> b.messages(s -> null));
    methods.put("body", b -> b.body("b", 2));
    methods.put("headers", b -> b.header("h2", "v2"));
    methods.put("checks", b -> b.check(LlmDsl.e2e().lt(1)));
    LlmRequestActionBuilder start = full();
    Map<String, Object> before = fields(start.request());
    for (var m : methods.entrySet()) {
      Map<String, Object> after = fields(m.getValue().apply(start).request());
      for (String f : before.keySet()) {
        if (f.equals(m.getKey())) {
          assertNotSame(before.get(f), after.get(f), m.getKey() + " changes " + f);
        } else {
          assertSame(before.get(f), after.get(f), m.getKey() + " keeps " + f);
        }
      }
    }
    assertEquals(before, fields(start.request()), "the original is unchanged");
    LlmRequest noEos = llm("r").prompt("p").maxTokens(1).request();
    assertTrue(noEos.with(d -> d.ignoreEos = true).ignoreEos());
    assertEquals(2, full().body("b", 2).request().body().size(), "body fields accumulate");
    assertEquals(2, full().header("h2", "v2").request().headers().size(), "headers accumulate");
  }

  @Test
  void modelMaxTokensMinTokensTakeAValueAnExpressionOrAFunction() {
    for (LlmRequestActionBuilder b : List.of(
        llm("r").prompt("p").model("llama-3").maxTokens(48).minTokens(48),
        llm("r").prompt("p").model("#{m}").maxTokens("#{n}").minTokens("#{n}"),
        llm("r").prompt("p").model(s -> s.getString("m")).maxTokens(s -> s.getInt("n")).minTokens(s -> s.getInt("n")))) {
      RequestSpec s = spec(b);
      assertEquals("llama-3", s.model());
      assertEquals(48, s.maxTokens());
      assertEquals(48, s.minTokens());
    }
    assertEquals("default-model", spec(llm("r").prompt("p")).model(), "the protocol's model when none is given");
  }

  @Test
  void messagesTakeAValueAnExpressionOrAFunction() {
    for (LlmRequestActionBuilder b : List.of(
        llm("r").messages(CONVERSATION),
        llm("r").messages("#{msgs}"),
        llm("r").messages(s -> s.getList("msgs")),
        llm("r").prompt("p").messages(CONVERSATION),
        llm("r").prompt("p").messages("#{msgs}"),
        llm("r").prompt("p").messages(s -> s.getList("msgs")))) {
      assertEquals(CONVERSATION, spec(b).messages());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> spec(llm("r").messages("#{tag}")));
    assertEquals("messages: '#{tag}' gave a String, expected a list of {role, content} maps", e.getMessage());
  }

  @Test
  void headersTakeAValueAnExpressionOrAFunctionOnTheRequestAndOnTheProtocol() {
    LlmConfig config =
        LlmDsl.llm.target("http://127.0.0.1:1").header("p1", "fixed").header("p2", "#{tag}-x")
            .header("p3", s -> s.getString("m")).config();
    LlmRequestActionBuilder b =
        llm("r").prompt("p").header("r1", "fixed").header("r2", "#{tag}").header("r3", s -> "n" + s.getInt("n"));
    assertEquals(
        List.of(Map.entry("p1", "fixed"), Map.entry("p2", "abc-x"), Map.entry("p3", "llama-3"),
            Map.entry("r1", "fixed"), Map.entry("r2", "abc"), Map.entry("r3", "n48")),
        RequestAssembly.headers(b.request(), config, SESSION));
  }

  @Test
  void bodyFieldsTakeAValueAnExpressionOrAFunctionAndMergeDeeply() {
    LlmConfig config =
        LlmDsl.llm.target("http://127.0.0.1:1").protocol(Protocol.TGI)
            .body("parameters", Map.of("top_p", 0.9, "stop", List.of("\n")))
            .body("seed", "#{n}")
            .body("tag", s -> s.getString("tag"))
            .config();
    LlmRequestActionBuilder b =
        llm("r").prompt("p")
            .body("parameters", Map.of("temperature", 0.5))
            .body("temperature", "#{t}")
            .body("label", "run #{tag}")
            .body("plain", "text")
            .body("count", s -> s.getInt("n") + 1)
            .body("parameters", s -> Map.of("stop", List.of("END")));
    Map<String, Object> body = RequestAssembly.spec(b.request(), config, SESSION).extraBody();
    assertEquals(Map.of("top_p", 0.9, "stop", List.of("END"), "temperature", 0.5), body.get("parameters"),
        "maps merge key by key; lists replace");
    assertEquals(48, body.get("seed"), "#{n} alone keeps the attribute's type");
    assertEquals(0.25, body.get("temperature"));
    assertEquals("run abc", body.get("label"));
    assertEquals("text", body.get("plain"));
    assertEquals(49, body.get("count"));
    assertEquals("abc", body.get("tag"));
    assertNull(RequestAssembly.spec(llm("r").prompt("p").body("x", (Object) null).request(), CONFIG, SESSION)
        .extraBody().get("y"));
    assertTrue(RequestAssembly.spec(llm("r").prompt("p").body("x", (Object) null).request(), CONFIG, SESSION)
        .extraBody().containsKey("x"), "an explicit null is sent as JSON null");
  }

  @Test
  void aStaticBodyThatWouldLoseAMeasuredFieldIsRefusedBeforeLoad() {
    LlmConfig tgi = LlmDsl.llm.target("http://127.0.0.1:1").protocol(Protocol.TGI).config();
    LlmConfig ollama = LlmDsl.llm.target("http://127.0.0.1:1").protocol(Protocol.OLLAMA_GENERATE).config();
    LlmConfig openai = LlmDsl.llm.target("http://127.0.0.1:1").body("stream", false).config();
    assertRefused("body: 'parameters.details' must stay true: TGI sends its token count only with details",
        llm("r").prompt("p").body("parameters", Map.of("details", false)), tgi);
    assertRefused("body: 'parameters' must stay an object, since 'parameters.max_new_tokens' is set by "
            + "maxTokens(...), which the record reports; use that instead of body()",
        llm("r").prompt("p").body("parameters", "none"), tgi);
    assertRefused("body: 'options.num_predict' is set by maxTokens(...), which the record reports; use that instead of body()",
        llm("r").prompt("p").body("options", Map.of("num_predict", 10)), ollama);
    assertRefused("body: 'stream' must stay true: the suite times streamed responses",
        llm("r").prompt("p"), openai);
    // the same values, and fields the suite does not need, pass
    RequestAssembly.checkBeforeLoad(
        llm("r").prompt("p").body("parameters", Map.of("details", true, "temperature", 0)).body("stream", true).request(), tgi);
    // a value from the session is checked when the request is built
    LlmRequest fromSession = llm("r").prompt("p").body("stream", s -> false).request();
    RequestAssembly.checkBeforeLoad(fromSession, CONFIG);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RequestAssembly.spec(fromSession, CONFIG, SESSION));
    assertEquals("body: 'stream' must stay true: the suite times streamed responses", e.getMessage());
  }

  private static void assertRefused(String message, LlmRequestActionBuilder b, LlmConfig config) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RequestAssembly.checkBeforeLoad(b.request(), config));
    assertEquals(message, e.getMessage());
  }
}
