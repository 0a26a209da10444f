package io.llmload.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The texts of a request that takes a list of inputs (embeddings, rerank): one per message. */
final class Inputs {
  private Inputs() {}

  /** Each message's content as text, in order; or the prompt alone when there are no messages. */
  static List<String> texts(RequestSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec.messages() == null) {
      if (spec.prompt() != null && !spec.prompt().isEmpty()) out.add(spec.prompt());
      return out;
    }
    for (Map<String, Object> m : spec.messages()) {
      String t = OpenAiCompletionsCodec.prompt(new RequestSpec(null, "", List.of(m), null, null, false, Map.of()));
      if (!t.isEmpty()) out.add(t);
    }
    return out;
  }
}
