package io.llmload.emulator;

import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code h100-llamacpp-8b} profile: llama.cpp serving a Llama-3-8B-shaped f16 model with 64
 * slots and 65,536 cells of context on one H100 ({@code fixtures/gpu/nvidia-h100/llamacpp-cuda/
 * llamacpp-cuda-levels.json}, 73-token prompt, 128 output tokens, levels 1 to 64 in turn, 15 s each).
 *
 * <p>How the users moved there: in rounds. Every level's request count is a multiple of its
 * concurrency, and the server's {@code n_decode_total} (11,408 in {@code metrics-c64.prom}) is the
 * warm-up's 16 decodes plus Σ 128 × requests / c over the levels: every decode carried all c
 * streams, so each level's users started together and streamed in lock step, and each round's
 * prompts were all taken in before its first decode.
 *
 * <p>Where TTFT comes from: not prompt compute (the counters say every prompt was cached but one
 * token, 0.92 s of prompt time over 1,090 requests) but each launch's work on the server's loop
 * thread, which is llama.cpp's host-memory prompt cache ({@link PromptCache}): about 18 ms per user
 * while the cache grows, 8 ms once it is full (it fills during the 16-user level: 327 states of
 * 200 tokens × 128 KiB fill the default 8 GiB), plus a check of every idle slot at every launch.
 * That is why the measured TTFT falls from 293 ms at 16 users to 252 ms at 32 and then grows again.
 *
 * <p>How the constants were obtained ({@code docs/emulator-calibration/fit.py}, which computes the
 * fixture's whole run through this model): {@code stepBaseMs}, {@code stepPerSeqMs},
 * {@code cacheSaveMs} and {@code cacheFreshMs} by least squares on the relative errors of aggregate
 * tokens/s and TTFT p50 at levels 1, 4, 16 and 64 (sum of squares 0.0052). Not fitted:
 * {@code stepSingleMs} from the c=1 inter-token latency (5.74 ms; llama.cpp decodes a lone sequence
 * on a faster path), {@code cacheEntries} from the default cache size over one state,
 * {@code cacheCheckUs} measured on the real llama-server of the same commit with the same
 * {@code -np 64 -c 65536} (94 µs per idle slot, median of 2,824 launches; docs/emulator.md), and the prefill, an
 * assumed 0.04 ms per uncached prompt token (about 25,000 tokens/s of f16 prefill on an H100).
 *
 * <p>Fit (emulated vs measured, aggregate tokens/s and TTFT p50): c=1 +1.8 %, −4.5 %; c=4 −0.5 %,
 * −1.7 %; c=16 +0.8 %, +5.0 %; c=64 −0.2 %, 0.0 %. Held out: c=2 −0.3 %, +7.6 %; c=8 −0.1 %,
 * −8.1 %; c=32 −5.6 %, +4.7 %. The c=32 prediction stays within 15 % for any check cost from
 * 45 to 190 µs (each refitted), so it does not hinge on the measured value.
 */
final class H100Calibration {
  private H100Calibration() {}

  static Map<Param, String> parameters() {
    Map<Param, String> m = new EnumMap<>(Param.class);
    m.put(Param.MODE, "batched");
    m.put(Param.MAX_BATCH, "64");
    m.put(Param.STEP_SINGLE_MS, "5.65");
    m.put(Param.STEP_BASE_MS, "7.515");
    m.put(Param.STEP_PER_SEQ_MS, "0.1246");
    m.put(Param.STEP_EXPONENT, "1");
    m.put(Param.PREFILL_BASE_MS, "0");
    m.put(Param.PREFILL_PER_TOKEN_MS, "0.04");
    m.put(Param.CACHE_ENTRIES, "327");
    m.put(Param.CACHE_SAVE_MS, "3.398");
    m.put(Param.CACHE_FRESH_MS, "11.516");
    m.put(Param.CACHE_CHECK_US, "94");
    m.put(Param.QUEUE_LIMIT, "1024");
    m.put(Param.QUEUE_FULL_STATUS, "429");
    m.put(Param.TOKENS_PER_CHUNK, "1");
    m.put(Param.BATCH_WINDOW_MS, "0");
    m.put(Param.JOIN_DURING_PREFILL, "true");
    m.put(Param.FIRST_CHUNK_ROLE, "true");
    m.put(Param.DEFAULT_MAX_TOKENS, "256");
    return m;
  }
}
