package io.llmload.sim;

import io.llmload.load.Shards;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What run.json says about this generator's part of a sharded load (docs/run-folder.md). */
final class ShardFacts {
  private ShardFacts() {}

  /**
   * @param startAtMs the common start asked for, or null
   * @param releasedUs when this JVM left its hold (its own clock), 0 before
   * @param anchorUs when its injection started (the first arrival's scheduled instant), 0 before
   */
  static Map<String, Object> of(Shards s, @Nullable Long startAtMs, long releasedUs, long anchorUs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", s.index());
    m.put("count", s.count());
    m.put("start_at_epoch_ms", startAtMs);
    m.put("released_epoch_us", releasedUs == 0 ? null : releasedUs);
    m.put("actual_start_epoch_us", anchorUs == 0 ? null : anchorUs);
    return m;
  }
}
