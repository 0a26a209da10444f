package io.llmload.workload;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What every source shares: the record layout, output forcing and the token counts' summary. */
abstract class AbstractWorkload implements Workload {
  final String kind;
  final OutputForcing forcing;
  final InputTokens tokens;

  AbstractWorkload(String kind, OutputForcing forcing, InputTokens tokens) {
    this.kind = kind;
    this.forcing = forcing;
    this.tokens = tokens;
  }

  /** The source's own entries for {@code describe()}. */
  abstract void describeSource(Map<String, Object> m);

  @Override
  public final Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    describeSource(m);
    m.put("output_length", forcing.describe());
    m.put("input_tokens", tokens.describe());
    return m;
  }

  @Override
  public final boolean forcesOutputLength() {
    return forcing.forces();
  }

  @Override
  public final Map<String, Object> extraBody() {
    return forcing.extraBody();
  }

  @Override
  public List<Long> arrivalOffsetsMs() {
    return List.of();
  }

  /** A feeder record; a HashMap because {@code messages} may be null. */
  final Map<String, Object> record(
      String prompt, @Nullable List<Map<String, Object>> messages, int maxTokens, InputTokens.Count count) {
    Map<String, Object> r = new HashMap<>(12);
    r.put("prompt", prompt);
    r.put("messages", messages);
    r.put("maxTokens", maxTokens);
    r.put("inputTokens", count.tokens());
    r.put("inputTokensSource", count.source());
    Integer min = forcing.minTokens(maxTokens);
    if (min != null) r.put("minTokens", min);
    return r;
  }

  static Map<String, Object> message(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>(2);
    m.put("role", role);
    m.put("content", content);
    return java.util.Collections.unmodifiableMap(m);
  }
}
