package io.llmload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared strings are only ever the same text: values beyond what is remembered, escapes and non-ASCII read right. */
class RecentStringsTest {
  @Test
  void repeatsShareOneInstanceAndEveryValueReadsAsWritten() throws Exception {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) values.add(i % 7 == 0 ? "http_error" : i % 5 == 0 ? "sé\\\"q" + (i % 6) : i % 3 == 0 ? "o" : "ok");
    StringBuilder json = new StringBuilder("[");
    for (String v : values) json.append(json.length() > 1 ? "," : "").append('"').append(v).append('"');
    json.append(']');
    RecentStrings cache = new RecentStrings();
    List<String> read = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      p.nextToken();
      while (p.nextToken() == JsonToken.VALUE_STRING) read.add(cache.text(p, RecentStrings.STATUS));
    }
    assertEquals(values.stream().map(v -> v.replace("\\\"", "\"")).toList(), read);
    assertSame(read.get(1), read.get(2), "the second \"ok\" is the first one's instance");
    assertSame(cache.join("timings.", "predicted_ms"), cache.join("timings.", "predicted_ms"));
    assertEquals("timings.predicted_ms", cache.join("timings.", "predicted_ms"));
  }
}
