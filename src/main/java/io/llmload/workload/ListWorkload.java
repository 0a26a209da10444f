package io.llmload.workload;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A finite prompt set (the fixed prompt, a prompt file, a ShareGPT file) fed in a Gatling feeder
 * order, forever: {@code circular} loops, {@code random} draws with replacement, {@code shuffle}
 * walks a fresh permutation on each pass. Random orders are seeded.
 */
final class ListWorkload extends AbstractWorkload {
  enum Order { CIRCULAR, RANDOM, SHUFFLE }

  private final List<PromptItem> items;
  private final int[] maxTokens;
  private final InputTokens.Count[] counts;
  private final Order order;
  private final long seed;
  private final Map<String, Object> source;

  /**
   * @param source what {@code describe()} says about where the prompts came from
   */
  ListWorkload(
      String kind, List<PromptItem> items, int defaultMaxTokens, Order order, long seed,
      OutputForcing forcing, InputTokens tokens, Map<String, Object> source) {
    super(kind, forcing, tokens);
    this.items = List.copyOf(items);
    this.order = order;
    this.seed = seed;
    this.source = source;
    maxTokens = new int[items.size()];
    counts = new InputTokens.Count[items.size()];
    for (int i = 0; i < items.size(); i++) {
      PromptItem it = items.get(i);
      maxTokens[i] = it.maxTokens() == null ? defaultMaxTokens : it.maxTokens();
      counts[i] = tokens.count(it.prompt(), it.messages());
    }
  }

  static Order parseOrder(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "circular" -> Order.CIRCULAR;
      case "random" -> Order.RANDOM;
      case "shuffle" -> Order.SHUFFLE;
      default -> throw new BadWorkload("prompts.order: '" + v + "' is not one of circular, random, shuffle");
    };
  }

  @Override
  void describeSource(Map<String, Object> m) {
    m.putAll(source);
    m.put("prompts", items.size());
    m.put("order", order.name().toLowerCase(Locale.ROOT));
    if (order != Order.CIRCULAR) m.put("seed", seed);
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    return new Iterator<>() {
      private final RandomGenerator rng = new MersenneTwister(SyntheticText.mix(seed, 11));
      private final int[] perm = identity(items.size());
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public synchronized Map<String, Object> next() {
        int n = items.size();
        int i;
        switch (order) {
          case RANDOM -> i = rng.nextInt(n);
          case SHUFFLE -> {
            if (next % n == 0) shuffle(perm, rng);
            i = perm[next % n];
            next = (next + 1) % n;
          }
          default -> {
            i = next;
            next = (next + 1) % n;
          }
        }
        PromptItem it = items.get(i);
        return record(it.prompt(), it.messages(), maxTokens[i], counts[i]);
      }
    };
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  /** Fisher-Yates. */
  private static void shuffle(int[] a, RandomGenerator rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
