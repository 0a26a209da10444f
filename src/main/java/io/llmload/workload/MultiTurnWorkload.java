package io.llmload.workload;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Multi-turn conversations whose history grows turn by turn. The feeder cannot see the server's
 * answers, so the growth is fixed in advance: turn k of a conversation sends the k-1 earlier user
 * turns, each followed by a synthetic assistant answer as long as that turn's output length, then
 * the new user turn. User turns take their lengths from {@code input}, answers from {@code
 * output}; conversation c is generated from (seed, c), so it is the same in every feeder and every
 * run with that seed. Records come conversation by conversation, turn 1 first; after the last
 * conversation the feeder starts over.
 */
final class MultiTurnWorkload extends AbstractWorkload {
  private final LengthDistribution input;
  private final LengthDistribution output;
  private final long seed;
  private final int turns;
  private final int conversations;
  private final int sharedPrefix;
  private final String prefix;
  private final InputTokens.Count[] counts;

  /** One generated conversation: user turns and the synthetic answers that follow them. */
  private record Conversation(String[] user, String[] assistant, int[] outputTokens) {}

  MultiTurnWorkload(
      LengthDistribution input, LengthDistribution output, long seed, int turns, int conversations,
      int sharedPrefix, OutputForcing forcing, InputTokens tokens) {
    super("multiturn", forcing, tokens);
    this.input = input;
    this.output = output;
    this.seed = seed;
    this.turns = turns;
    this.conversations = conversations;
    this.sharedPrefix = sharedPrefix;
    this.prefix = sharedPrefix == 0 ? "" : SyntheticText.words(new MersenneTwister(SyntheticText.mix(seed, 4)), sharedPrefix);
    counts = new InputTokens.Count[conversations * turns];
    for (int c = 0; c < conversations; c++) {
      Conversation conv = conversation(c);
      for (int t = 1; t <= turns; t++) {
        counts[c * turns + t - 1] = tokens.count(conv.user()[t - 1], messages(conv, t));
      }
    }
  }

  private Conversation conversation(int c) {
    MersenneTwister rng = new MersenneTwister(SyntheticText.mix(seed, 100 + (long) c));
    IntSupplier in = input.sampler(rng);
    IntSupplier out = output.sampler(rng);
    String[] user = new String[turns];
    String[] assistant = new String[turns];
    int[] outTokens = new int[turns];
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < turns; t++) {
      int n = in.getAsInt();
      outTokens[t] = out.getAsInt();
      sb.setLength(0);
      if (t == 0 && sharedPrefix > 0) {
        sb.append(prefix);
        n = Math.max(1, n - sharedPrefix);
      }
      SyntheticText.append(sb, rng, n);
      user[t] = sb.toString();
      assistant[t] = SyntheticText.words(rng, outTokens[t]);
    }
    return new Conversation(user, assistant, outTokens);
  }

  /** Turn {@code t}'s messages (1-based): the history, then the new user turn. */
  private static List<Map<String, Object>> messages(Conversation conv, int t) {
    List<Map<String, Object>> m = new ArrayList<>(2 * t - 1);
    for (int k = 0; k < t - 1; k++) {
      m.add(message("user", conv.user()[k]));
      m.add(message("assistant", conv.assistant()[k]));
    }
    m.add(message("user", conv.user()[t - 1]));
    return List.copyOf(m);
  }

  @Override
  void describeSource(Map<String, Object> m) {
    m.put("conversations", conversations);
    m.put("turns", turns);
    m.put("input", input.describe());
    m.put("output", output.describe());
    m.put("seed", seed);
    m.put("shared_prefix_tokens", sharedPrefix);
    m.put("history", "synthetic: earlier user turns and synthetic assistant answers of each turn's output length, not the server's answers");
    m.put("text", "synthetic: random common three-letter English words, about one token each");
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    return new Iterator<>() {
      private int c;
      private int t = turns;
      private Conversation conv;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public synchronized Map<String, Object> next() {
        if (t == turns) {
          if (conv != null) c = (c + 1) % conversations;
          conv = conversation(c);
          t = 0;
        }
        t++;
        Map<String, Object> r = record(conv.user()[t - 1], messages(conv, t), conv.outputTokens()[t - 1], counts[c * turns + t - 1]);
        r.put("conversation", c + 1);
        r.put("turn", t);
        return r;
      }
    };
  }
}
