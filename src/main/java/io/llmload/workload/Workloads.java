package io.llmload.workload;

import io.llmload.config.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the run's {@link Workload} from its {@code -D} properties; see docs/workloads.md. Every
 * property is read and checked here, files are read and prompts measured, all before the load
 * starts; a bad value is reported through {@link Params#invalid} as one line naming it.
 */
public final class Workloads {
  /** Default input length of synthetic prompts and multi-turn user turns, in tokens. */
  public static final String DEFAULT_SYNTHETIC_INPUT = "fixed:512";
  public static final String DEFAULT_TURN_INPUT = "fixed:128";
  public static final int DEFAULT_TOKENIZE_MAX = 2000;
  /**
   * Synthetic prompts are endless: the server measures only the first ones (the calls run one by
   * one before the load, so at 50 ms a call 2,000 would delay the start by 100 s); the rest are
   * estimated, and the mean server/estimate ratio in run.json shows how close the estimate is.
   */
  public static final int SYNTHETIC_MEASURED = 100;

  private static final List<String> KINDS = List.of("fixed", "file", "sharegpt", "synthetic", "trace", "multiturn");

  /** The properties each kind reads beyond the common ones; any other of these is an error. */
  private static final Map<String, Set<String>> OWN = Map.of(
      "fixed", Set.of(),
      "file", Set.of("prompts", "prompts.order"),
      "sharegpt", Set.of("sharegpt", "prompts.order", "output.max"),
      "synthetic", Set.of("input", "output", "input.max", "output.max", "sharedPrefix"),
      "trace", Set.of("trace", "trace.timeScale", "trace.blockSize"),
      "multiturn", Set.of("input", "output", "input.max", "output.max", "sharedPrefix", "turns", "conversations"));
  private static final List<String> SPECIFIC = List.of(
      "prompts", "prompts.order", "sharegpt", "input", "output", "input.max", "output.max", "sharedPrefix",
      "trace", "trace.timeScale", "trace.blockSize", "turns", "conversations");

  private Workloads() {}

  /**
   * Reads {@code workload} and the properties of that kind, reads its files and measures its
   * prompts.
   *
   * @throws IllegalArgumentException (from {@link Params#invalid}) with a one-line message
   */
  public static Workload fromParams(Params params, WorkloadContext ctx) {
    String given = params.string("workload", "fixed");
    String kind = given.trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw params.invalid("workload: '" + given + "' is not one of " + String.join(", ", KINDS));
    }
    for (String p : SPECIFIC) {
      if (!OWN.get(kind).contains(p) && params.string(p) != null) {
        throw params.invalid(p + ": does not apply to workload=" + kind + " (it is for workload=" + users(p) + ")");
      }
    }
    try {
      InputTokens.Mode mode = InputTokens.parseMode(params.string("tokenize", "auto"));
      int maxCalls = params.intIn("tokenize.max", DEFAULT_TOKENIZE_MAX, 0, 100_000);
      long seed = seed(params);
      OutputForcing forcing = forcing(params, kind, ctx);
      InputTokens tokens = InputTokens.create(mode, ctx, maxCalls);
      return switch (kind) {
        case "fixed" -> new ListWorkload(
            "fixed", List.of(new PromptItem(ctx.defaultPrompt(), null, null)), ctx.defaultMaxTokens(),
            ListWorkload.Order.CIRCULAR, seed, forcing, tokens, Map.of());
        case "file" -> {
          String file = required(params, "prompts", "a .jsonl or .csv prompt file");
          ListWorkload.Order order = ListWorkload.parseOrder(params.string("prompts.order", "circular"));
          List<PromptItem> items = PromptFiles.read(file);
          yield new ListWorkload("file", items, ctx.defaultMaxTokens(), order, seed, forcing, tokens, Map.of("file", file));
        }
        case "sharegpt" -> {
          String file = required(params, "sharegpt", "a ShareGPT .json file");
          ListWorkload.Order order = ListWorkload.parseOrder(params.string("prompts.order", "circular"));
          Integer outMax = params.optionalPositiveInt("output.max");
          ShareGptFile.Result r = ShareGptFile.read(file, outMax);
          Map<String, Object> src = new LinkedHashMap<>();
          src.put("file", file);
          src.put("entries", r.entries());
          src.put("skipped_entries", r.skipped());
          src.put("output_target", "ceil(characters / 4) of the first gpt turn" + (outMax == null ? "" : ", at most " + outMax));
          yield new ListWorkload("sharegpt", r.items(), ctx.defaultMaxTokens(), order, seed, forcing, tokens, src);
        }
        case "synthetic" -> {
          LengthDistribution in = distribution(params, "input", DEFAULT_SYNTHETIC_INPUT);
          LengthDistribution out = distribution(params, "output", "fixed:" + ctx.defaultMaxTokens());
          int prefix = params.intIn("sharedPrefix", 0, 0, 1_000_000);
          yield new SyntheticWorkload(in, out, seed, prefix, forcing, tokens, tokens.mayMeasure() ? Math.min(maxCalls, SYNTHETIC_MEASURED) : 0);
        }
        case "trace" -> {
          String file = required(params, "trace", "a JSONL trace file");
          double scale = params.positiveDouble("trace.timeScale", 1.0);
          int block = params.intIn("trace.blockSize", 512, 1, 1_000_000);
          yield new TraceWorkload(file, scale, block, seed, forcing, tokens);
        }
        case "multiturn" -> {
          LengthDistribution in = distribution(params, "input", DEFAULT_TURN_INPUT);
          LengthDistribution out = distribution(params, "output", "fixed:" + ctx.defaultMaxTokens());
          int turns = params.intIn("turns", 3, 1, 100);
          int conversations = params.intIn("conversations", 100, 1, 100_000);
          int prefix = params.intIn("sharedPrefix", 0, 0, 1_000_000);
          yield new MultiTurnWorkload(in, out, seed, turns, conversations, prefix, forcing, tokens);
        }
        default -> throw new IllegalStateException(kind);
      };
    } catch (BadWorkload e) {
      // Params reports its own errors; these are the workload's.
      throw params.invalid(e.getMessage());
    }
  }

  private static String users(String property) {
    StringBuilder sb = new StringBuilder();
    for (String k : KINDS) {
      if (OWN.get(k).contains(property)) sb.append(sb.length() == 0 ? "" : " or ").append(k);
    }
    return sb.toString();
  }

  private static String required(Params params, String name, String what) {
    String v = params.string(name);
    if (v == null || v.isBlank()) throw new BadWorkload(name + ": required for this workload; give " + what);
    return v.trim();
  }

  private static long seed(Params params) {
    Long s = params.parsed("seed", v -> {
      try {
        return Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        throw new BadWorkload("seed: '" + v + "' is not a whole number");
      }
    });
    if (s == null) {
      params.note("seed", 1L);
      return 1L;
    }
    return s;
  }

  private static LengthDistribution distribution(Params params, String name, String def) {
    Integer max = params.optionalPositiveInt(name + ".max");
    String spec = params.string(name, def);
    return LengthDistribution.parse(name, spec, max);
  }

  private static OutputForcing forcing(Params params, String kind, WorkloadContext ctx) {
    String v = params.string("output.force", "auto").trim().toLowerCase(Locale.ROOT);
    boolean requested = switch (v) {
      // A length target (drawn, traced or taken from a ShareGPT answer) is only met when forced.
      case "auto" -> !kind.equals("fixed") && !kind.equals("file");
      case "true" -> true;
      case "false" -> false;
      default -> throw new BadWorkload("output.force: '" + v + "' is not one of auto, true, false");
    };
    @Nullable String why = OutputForcing.unsupportedReason(ctx.protocol());
    if (v.equals("true") && why != null) {
      throw new BadWorkload("output.force: " + why + "; use auto or false");
    }
    return new OutputForcing(requested, ctx.protocol());
  }
}
