package io.llmload.workload;

import io.llmload.wire.Protocol;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Input-token counts for the records: the server's {@code /tokenize} where the target has one and
 * {@code tokenize} allows it, else the estimate. Each distinct prompt is measured once, before the
 * load starts, and at most {@code tokenize.max} calls are made; prompts beyond that are estimated
 * and their records say so.
 */
final class InputTokens {
  enum Mode { AUTO, SERVER, ESTIMATE }

  /** One count with its source. */
  record Count(int tokens, String source) {}

  private final Mode mode;
  private final List<ServerTokenize> candidates;
  private final int maxCalls;
  private final Map<String, Integer> cache = new HashMap<>();
  private @Nullable ServerTokenize server;
  private @Nullable String fallback;
  private int calls;
  private int measured;
  private int estimated;
  private double ratioSum;

  private final boolean chat;

  private InputTokens(Mode mode, List<ServerTokenize> candidates, int maxCalls, @Nullable String fallback, boolean chat) {
    this.mode = mode;
    this.chat = chat;
    this.candidates = candidates;
    this.maxCalls = maxCalls;
    this.fallback = fallback;
  }

  static Mode parseMode(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Mode.AUTO;
      case "server" -> Mode.SERVER;
      case "estimate" -> Mode.ESTIMATE;
      default -> throw new BadWorkload("tokenize: '" + v + "' is not one of auto, server, estimate");
    };
  }

  /**
   * @throws IllegalArgumentException one line, when {@code server} is asked of a target without
   *     {@code /tokenize}
   */
  static InputTokens create(Mode mode, WorkloadContext ctx, int maxCalls) {
    if (mode == Mode.ESTIMATE) return new InputTokens(mode, List.of(), 0, "tokenize=estimate",
        ctx.protocol().sendsMessages());
    String why = null;
    if (ctx.emulator()) why = "the embedded emulator has no /tokenize";
    else if (ctx.baseUrl() == null) why = "no target URL";
    else if (maxCalls == 0) why = "tokenize.max=0";
    List<ServerTokenize> c = new ArrayList<>();
    if (why == null) {
      HttpClient http = ServerTokenize.newClient();
      String url = ctx.baseUrl();
      switch (ctx.protocol()) {
        // vLLM and SGLang speak openai-*; llama-server does too, with llama.cpp's /tokenize shape.
        case OPENAI_CHAT, OPENAI_COMPLETIONS, OPENAI_RESPONSES -> {
          c.add(new ServerTokenize.Vllm(http, url, ctx.model(), ctx.authorization()));
          c.add(new ServerTokenize.LlamaCpp(http, url, ctx.authorization()));
        }
        case LLAMACPP -> c.add(new ServerTokenize.LlamaCpp(http, url, ctx.authorization()));
        case TGI -> c.add(new ServerTokenize.Tgi(http, url, ctx.authorization()));
        case OLLAMA_CHAT, OLLAMA_GENERATE -> why = "Ollama has no /tokenize";
        case ANTHROPIC_MESSAGES -> why = "the Messages API has no /tokenize";
      }
    }
    if (why != null && mode == Mode.SERVER) {
      throw new BadWorkload("tokenize: server counting is not possible (" + why + "); use auto or estimate");
    }
    return new InputTokens(mode, List.copyOf(c), maxCalls, why, ctx.protocol().sendsMessages());
  }

  /**
   * Counts one prompt as the protocol will send it: chat protocols send the messages (a bare
   * prompt as one user message), the others one text, the message contents joined by newlines as
   * the codecs join them.
   *
   * @throws IllegalArgumentException one line, when {@code tokenize=server} and the server fails
   */
  synchronized Count count(String prompt, @Nullable List<Map<String, Object>> messages) {
    List<Map<String, Object>> sentMessages = null;
    String sentText = prompt;
    if (chat) {
      sentMessages = messages == null ? List.of(AbstractWorkload.message("user", prompt)) : messages;
    } else if (messages != null) {
      sentText = joined(messages);
    }
    if (fallback == null) {
      String key = digest(sentMessages == null ? "p" + sentText : "m" + sentMessages);
      Integer cached = cache.get(key);
      if (cached != null) {
        measured++;
        return new Count(cached, "server");
      }
      if (calls < maxCalls) {
        Integer n = measure(sentText, sentMessages);
        if (n != null) {
          cache.put(key, n);
          ratioSum += n / (double) CharEstimate.INSTANCE.count(sentText, sentMessages);
          measured++;
          return new Count(n, "server");
        }
      }
    }
    estimated++;
    return new Count(CharEstimate.INSTANCE.count(sentText, sentMessages), "estimated");
  }

  /** A SHA-256 key, so the cache holds 2,000 long prompts in kilobytes rather than megabytes. */
  private static String digest(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String joined(List<Map<String, Object>> messages) {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> m : messages) {
      Object c = m.get("content");
      if (c == null) continue;
      if (sb.length() > 0) sb.append('\n');
      sb.append(c);
    }
    return sb.toString();
  }

  private @Nullable Integer measure(String prompt, @Nullable List<Map<String, Object>> messages) {
    List<ServerTokenize> tryThese = server != null ? List.of(server) : candidates;
    List<String> errors = new ArrayList<>();
    for (ServerTokenize t : tryThese) {
      calls++;
      try {
        int n = t.count(prompt, messages);
        server = t;
        return n;
      } catch (TokenCounter.TokenizeException e) {
        errors.add(e.getMessage());
      }
    }
    String why = String.join("; ", errors);
    if (mode == Mode.SERVER) {
      throw new BadWorkload("tokenize: the server could not count a prompt (" + why + ")");
    }
    // auto: a server without /tokenize (or one that fails) is estimated from here on.
    fallback = why;
    return null;
  }

  /** True while prompts may still be measured by the server; false once every count is an estimate. */
  synchronized boolean mayMeasure() {
    return fallback == null && calls < maxCalls;
  }

  /**
   * The count of a generated text of {@code words} synthetic words, without generating it: the
   * estimate is exact for {@link SyntheticText} ({@code 4n-1} characters).
   */
  synchronized Count estimatedWords(int words) {
    estimated++;
    return new Count(Math.max(1, words), "estimated");
  }

  /** For {@code run.json}. */
  synchronized Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode.name().toLowerCase(Locale.ROOT));
    m.put("server_shape", server == null ? null : server.shape());
    m.put("endpoint", server == null ? null : server.uri().toString());
    m.put("calls", calls);
    m.put("max_calls", maxCalls);
    // Prompts counted before the load; endless synthetic prompts past the first ones are not in these.
    m.put("measured_prompts", measured);
    m.put("estimated_prompts", estimated);
    // How far off the estimate is on this server: lets a reader judge the estimated records.
    m.put("server_to_estimate_ratio_mean", cache.isEmpty() ? null : ratioSum / cache.size());
    m.put("estimate", "ceil(characters / 4) over the prompt (all message contents for chat); chat templates not counted");
    if (fallback != null) m.put("estimated_because", fallback);
    return m;
  }
}
