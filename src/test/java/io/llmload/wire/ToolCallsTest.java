package io.llmload.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one reader of tool_calls, on both shapes the handlers see, and no second copy of it. */
class ToolCallsTest {

  static String read(String json) throws Exception {
    StringBuilder out = new StringBuilder();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      p.nextToken();
      ToolCalls.append(p, out);
    }
    return out.toString();
  }

  @Test
  void openAiStreamsArgumentsAsStrings() throws Exception {
    assertEquals("get_weather{\"city\":",
        read("[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]"));
  }

  @Test
  void ollamaSendsArgumentsAsAnObjectAndOnlyTheNameCounts() throws Exception {
    assertEquals("get_weatherlookup",
        read("[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}},7,{\"function\":{\"name\":\"lookup\"}}]"));
    assertEquals("", read("null"));
  }

  @Test
  void noHandlerKeepsItsOwnCopy() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("src/main/java/io/llmload/wire"))) {
      List<String> copies = s.filter(f -> !f.endsWith("ToolCalls.java"))
          .filter(f -> {
            try {
              return Files.readString(f).contains("\"arguments\"");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(f -> f.getFileName().toString())
          .toList();
      assertEquals(List.of(), copies);
    }
  }
}
