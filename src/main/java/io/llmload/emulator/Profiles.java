package io.llmload.emulator;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named profiles. Each is a set of {@link Param} values; overrides replace single values.
 * Where a number comes from is written next to it.
 */
public final class Profiles {
  public static final String DEFAULT = "seeds-7b";

  private static final Map<String, Map<Param, String>> PROFILES = new LinkedHashMap<>();

  static {
    // The seeds' 7B model on a small GPU: 55 tokens/s for one user, 35 % of that (19.25 tokens/s)
    // per user at 10 users. Linear step model through both points:
    // step(1) = 1000/55 = 18.18 ms, step(10) = 1000/19.25 = 51.95 ms,
    // so perSeq = (51.95 - 18.18) / 9 = 3.752 ms and base = 18.18 - 3.752 = 14.43 ms.
    // The seeds give no TTFT: prefill 30 ms + 0.25 ms/token is an assumption (a 7B model on a
    // small GPU prefills ~4,000 tokens/s), labelled as such in docs/emulator.md.
    Map<Param, String> seeds = base();
    seeds.put(Param.MAX_BATCH, "16");
    seeds.put(Param.STEP_BASE_MS, "14.43");
    seeds.put(Param.STEP_PER_SEQ_MS, "3.752");
    seeds.put(Param.STEP_EXPONENT, "1");
    seeds.put(Param.PREFILL_BASE_MS, "30");
    seeds.put(Param.PREFILL_PER_TOKEN_MS, "0.25");
    seeds.put(Param.QUEUE_LIMIT, "1024");
    PROFILES.put("seeds-7b", seeds);

    Map<Param, String> dev = new EnumMap<>(seeds);
    dev.put(Param.MAX_BATCH, "8");
    PROFILES.put("dev-batch8", dev);

    Map<Param, String> prod = new EnumMap<>(seeds);
    prod.put(Param.MAX_BATCH, "64");
    prod.put(Param.BATCH_WINDOW_MS, "5");
    PROFILES.put("prod-batch64", prod);

    PROFILES.put("h100-llamacpp-8b", H100Calibration.parameters());

    // Measures the client, not a server: no batch limit, no queue, every stream one token every
    // 1000/tokensPerSecond ms after its (by default instant) prefill.
    Map<Param, String> fixed = base();
    fixed.put(Param.MODE, "fixed-rate");
    fixed.put(Param.MAX_BATCH, "unlimited");
    fixed.put(Param.TOKENS_PER_SECOND, "30");
    fixed.put(Param.PREFILL_BASE_MS, "0");
    fixed.put(Param.PREFILL_PER_TOKEN_MS, "0");
    fixed.put(Param.QUEUE_LIMIT, "1000000");
    PROFILES.put("fixed-rate", fixed);
  }

  private Profiles() {}

  private static Map<Param, String> base() {
    Map<Param, String> m = new EnumMap<>(Param.class);
    m.put(Param.MODE, "batched");
    m.put(Param.QUEUE_FULL_STATUS, "429");
    m.put(Param.TOKENS_PER_CHUNK, "1");
    m.put(Param.BATCH_WINDOW_MS, "0");
    m.put(Param.FIRST_CHUNK_ROLE, "true");
    m.put(Param.DEFAULT_MAX_TOKENS, "256");
    return m;
  }

  /** Names of all profiles, comma separated, for messages. */
  public static String names() {
    return String.join(", ", PROFILES.keySet());
  }

  /**
   * The values of a profile.
   *
   * @throws IllegalArgumentException naming {@code where} and the known profiles
   */
  static Map<Param, String> get(String where, String name) {
    Map<Param, String> p = PROFILES.get(name);
    if (p == null) {
      throw new IllegalArgumentException(where + ": '" + name + "' is not a profile, expected one of " + names());
    }
    return new EnumMap<>(p);
  }
}
