package io.llmload.workload;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The estimate: ceil(characters / 4), the usual rule for English text with BPE tokenizers, counted
 * over all message contents for chat. It is the rule the embedded emulator uses, so against it the
 * estimate equals the {@code prompt_tokens} it reports. Chat templates are not counted.
 */
final class CharEstimate implements TokenCounter {
  static final CharEstimate INSTANCE = new CharEstimate();

  private CharEstimate() {}

  @Override
  public int count(String prompt, @Nullable List<Map<String, Object>> messages) {
    long chars = 0;
    if (messages != null) {
      for (Map<String, Object> m : messages) {
        Object c = m.get("content");
        if (c instanceof String s) chars += s.length();
      }
    } else {
      chars = prompt.length();
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (chars + 3) / 4));
  }

  @Override
  public String source() {
    return "estimated";
  }
}
