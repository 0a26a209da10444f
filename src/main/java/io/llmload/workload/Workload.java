package io.llmload.workload;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the requests of a run ask: a Gatling feeder plus what {@code run.json} should say about it.
 *
 * <p>Each feeder record carries {@code prompt} (String, always; for chat messages the last user
 * message), {@code messages} (role/content maps, or null), {@code maxTokens} (Integer), {@code
 * inputTokens} (Integer) with {@code inputTokensSource} ({@code "server"} or {@code "estimated"}),
 * and depending on the source {@code minTokens}, {@code arrivalOffsetMs}, {@code conversation} and
 * {@code turn}.
 */
public interface Workload {

  /**
   * A feeder for {@code scenario(...).feed(workload.feeder())}: infinite, except for trace replay,
   * which ends after the trace's last line. Each call returns a new iterator that starts over.
   */
  Iterator<Map<String, Object>> feeder();

  /** The workload for {@code run.json}: kind, file, distributions, seed, counts, token source. */
  Map<String, Object> describe();

  /** True when the requests ask the server to generate exactly {@code maxTokens} tokens. */
  boolean forcesOutputLength();

  /**
   * Top-level body fields that force the output length for the protocol ({@code ignore_eos}); empty
   * when the length is not forced or the protocol cannot force it. A per-record {@code min_tokens}
   * is in each record as {@code minTokens}.
   */
  Map<String, Object> extraBody();

  /** For trace replay, each request's arrival time after the start in ms; empty otherwise. */
  List<Long> arrivalOffsetsMs();
}
