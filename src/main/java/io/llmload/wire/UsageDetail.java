package io.llmload.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** One count inside a usage object's details ({@code prompt_tokens_details.cached_tokens}, ...). */
final class UsageDetail {
  private UsageDetail() {}

  /** The count {@code key} of the object the parser stands on, which is consumed; null when absent. */
  static @Nullable Long read(JsonParser p, String key) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      Json.skip(p);
      return null;
    }
    Long v = null;
    for (String f; (f = Json.field(p)) != null; ) {
      if (key.equals(f)) {
        v = Json.longValue(p);
      } else {
        Json.skip(p);
      }
    }
    return v;
  }
}
