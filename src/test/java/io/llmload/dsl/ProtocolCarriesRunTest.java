package io.llmload.dsl;

import static io.llmload.dsl.LlmDsl.llm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.llmload.record.RunContext;
import io.llmload.record.RunRecorder;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each protocol carries the run its requests record into, so two runs in one JVM do not share
 * one; there is no process-wide current run for a request to find (or miss) silently.
 */
class ProtocolCarriesRunTest {

  @Test
  void theRunTravelsWithTheProtocolThroughEveryCopy(@TempDir Path dir) throws Exception {
    try (RunRecorder ra = new RunRecorder(dir.resolve("a"), "A"); RunRecorder rb = new RunRecorder(dir.resolve("b"), "B")) {
      RunContext a = new RunContext(ra);
      RunContext b = new RunContext(rb);
      LlmProtocolBuilder pa = llm.target("http://127.0.0.1:1").recordTo(a).model("m").maxTokensField("max_tokens");
      LlmProtocolBuilder pb = llm.target("http://127.0.0.1:1").recordTo(b);
      assertSame(a, pa.run());
      assertSame(a, ((LlmProtocol) pa.protocol()).run);
      assertSame(b, ((LlmProtocol) pb.protocol()).run);
      assertNull(((LlmProtocol) llm.target("http://127.0.0.1:1").protocol()).run, "a bare protocol records nowhere");
    }
  }

  @Test
  void noProcessWideRun() {
    List<String> statics = Arrays.stream(RunContext.class.getDeclaredMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getReturnType() == RunContext.class)
        .map(m -> m.getName())
        .toList();
    assertEquals(List.of(), statics, "a static accessor of the current run");
    assertEquals(0, Arrays.stream(RunContext.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == RunContext.class).count());
  }
}
