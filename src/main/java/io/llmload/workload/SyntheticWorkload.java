package io.llmload.workload;

import java.util.Iterator;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Synthetic prompts: input and output lengths drawn from seeded distributions, prompt text from
 * {@link SyntheticText}, optionally opened by a prefix shared by every prompt (for prefix-cache
 * studies). The same seed gives the same sequence of prompts and lengths in every feeder; lengths,
 * text and prefix come from separate generators so changing one distribution leaves the others'
 * draws alone.
 *
 * <p>The shared prefix counts toward the input length: a prompt is the prefix plus {@code max(1,
 * input - sharedPrefix)} tokens of its own.
 */
final class SyntheticWorkload extends AbstractWorkload {
  private final LengthDistribution input;
  private final LengthDistribution output;
  private final long seed;
  private final int sharedPrefix;
  private final String prefix;
  private final int[] measured;

  SyntheticWorkload(
      LengthDistribution input, LengthDistribution output, long seed, int sharedPrefix,
      OutputForcing forcing, InputTokens tokens, int measureFirst) {
    super("synthetic", forcing, tokens);
    this.input = input;
    this.output = output;
    this.seed = seed;
    this.sharedPrefix = sharedPrefix;
    this.prefix = sharedPrefix == 0 ? "" : SyntheticText.words(new MersenneTwister(SyntheticText.mix(seed, 4)), sharedPrefix);
    // Server counts are taken now, before the load, for the first records of the sequence; the
    // feeder regenerates the same records and uses them.
    measured = new int[measureFirst];
    Sequence s = new Sequence();
    for (int i = 0; i < measureFirst; i++) {
      s.advance();
      InputTokens.Count c = tokens.count(s.prompt, null);
      if (!c.source().equals("server")) {
        measured[i] = -1;
        for (int j = i + 1; j < measureFirst; j++) measured[j] = -1;
        break;
      }
      measured[i] = c.tokens();
    }
  }

  /** One walk through the seeded sequence. Not thread-safe: the feeder serialises calls. */
  private final class Sequence {
    final IntSupplier in = input.sampler(new MersenneTwister(SyntheticText.mix(seed, 1)));
    final IntSupplier out = output.sampler(new MersenneTwister(SyntheticText.mix(seed, 2)));
    final MersenneTwister text = new MersenneTwister(SyntheticText.mix(seed, 3));
    final StringBuilder sb = new StringBuilder();
    long index = -1;
    String prompt;
    int outputTokens;

    void advance() {
      index++;
      int target = in.getAsInt();
      outputTokens = out.getAsInt();
      sb.setLength(0);
      sb.append(prefix);
      SyntheticText.append(sb, text, Math.max(1, target - sharedPrefix));
      prompt = sb.toString();
    }
  }

  @Override
  void describeSource(Map<String, Object> m) {
    m.put("input", input.describe());
    m.put("output", output.describe());
    m.put("seed", seed);
    m.put("shared_prefix_tokens", sharedPrefix);
    m.put("text", "synthetic: random common three-letter English words, about one token each");
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    return new Iterator<>() {
      private final Sequence s = new Sequence();

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public synchronized Map<String, Object> next() {
        s.advance();
        InputTokens.Count c = s.index < measured.length && measured[(int) s.index] >= 0
            ? new InputTokens.Count(measured[(int) s.index], "server")
            : new InputTokens.Count(CharEstimate.INSTANCE.count(s.prompt, null), "estimated");
        return record(s.prompt, null, s.outputTokens, c);
      }
    };
  }
}
