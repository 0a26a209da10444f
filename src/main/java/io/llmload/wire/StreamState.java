package io.llmload.wire;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one streamed response has told us so far. Codecs write into it as they parse; the action
 * reads it when the stream ends. Instants are {@link System#nanoTime()} values; 0 means "not yet".
 *
 * <p>Definitions (see README "What the numbers mean"): a token is a chunk that carries non-empty
 * generated output of any {@link OutputKind}; role-only or empty chunks are not tokens. With
 * several choices, each choice's output in a chunk counts as one token, unless the server says how
 * many tokens the chunk carried (then it counts as that many). Inter-token gaps are taken per
 * choice (sequence): a chunk of k tokens that came g after the choice's previous chunk adds k gaps
 * of g/k; the extra tokens of a choice's first chunk add gaps of 0.
 */
public final class StreamState {

  /** Stream-level status as the codec sees it; transport errors are added by the client. */
  public enum Outcome {
    RUNNING,
    DONE,
    STREAM_ERROR,
    MALFORMED
  }

  private static final int MAX_CAPTURE_CHARS = 1 << 20;
  private static final int MAX_TOKENS_PER_CHUNK = 1 << 16;

  private final boolean captureContent;
  private final StringBuilder content;

  // instants
  private long firstByteNanos;
  private long firstTokenNanos;
  private long firstOutputNanos; // first non-reasoning output (TTFO)
  private long lastTokenNanos;

  // counts
  private int events; // data events parsed, of any kind
  private int tokenChunks; // output chunk-choices
  private int reasoningChunks;
  private final EnumSet<OutputKind> kinds = EnumSet.noneOf(OutputKind.class);
  private int maxChoice = -1;

  // inter-token gaps, per choice
  private final TokenGaps gaps = new TokenGaps();
  private long tokens; // Σ k over chunk-choices
  private int serverCountedChunks; // chunk-choices whose token count the server gave

  // server side
  private @Nullable Long usagePromptTokens;
  private @Nullable Long usageCompletionTokens;
  private @Nullable Long cachedPromptTokens;
  private @Nullable Long reasoningTokens;
  private @Nullable Long serverOutputTokens;
  private @Nullable String serverOutputTokensSource;
  private int usageUpdates;
  private @Nullable String finishReason;
  private final Map<String, Object> server = new LinkedHashMap<>();

  private Outcome outcome = Outcome.RUNNING;
  private @Nullable String error;

  public StreamState(boolean captureContent) {
    this(captureContent, null);
  }

  /**
   * @param liveTokens counted up as output chunks arrive (the live console's tokens/s), or null
   */
  public StreamState(boolean captureContent, java.util.concurrent.atomic.@Nullable LongAdder liveTokens) {
    this.captureContent = captureContent;
    this.content = captureContent ? new StringBuilder() : null;
    this.liveTokens = liveTokens;
  }

  private final java.util.concurrent.atomic.@Nullable LongAdder liveTokens;

  // ---- written by the client ----

  /**
   * The answer is one whole JSON body (a request sent with {@code stream: false}): output it
   * carries counts for its kinds and content, never for token instants, so TTFT, ITL and TPOT stay
   * absent; the token counts come from the body's usage.
   */
  public void notStreamed() {
    whole = true;
  }

  /** Whether the answer was read as one whole body. */
  public boolean whole() { return whole; }

  private boolean whole;

  /** The first byte of the response body arrived. */
  public void firstByte(long nanos) {
    if (firstByteNanos == 0) {
      firstByteNanos = nanos;
    }
  }

  // ---- written by codecs ----

  /** One data event was parsed (whatever it carried). */
  public void event() {
    events++;
  }

  /**
   * A chunk carried generated output for one choice. Empty text is ignored: it is not a token.
   * Tool-call deltas that carry only a name or id pass their text too, so that they count.
   */
  public void output(OutputKind kind, int choice, @Nullable CharSequence text, long nanos) {
    output(kind, choice, text, nanos, 0);
  }

  /**
   * As {@link #output(OutputKind, int, CharSequence, long)}, for a chunk the server says carried
   * {@code serverTokens} tokens (vLLM's continuous usage, llama.cpp's {@code tokens_predicted});
   * 0 when it does not say, and the chunk counts as one token.
   */
  public void output(OutputKind kind, int choice, @Nullable CharSequence text, long nanos, long serverTokens) {
    if (text == null || text.length() == 0) {
      return;
    }
    if (whole) {
      // a whole answer has no token instants: its kinds and text only, never a faked TTFT or gap
      kinds.add(kind);
      if (captureContent && kind == OutputKind.CONTENT && content.length() < MAX_CAPTURE_CHARS) {
        content.append(text, 0, Math.min(text.length(), MAX_CAPTURE_CHARS - content.length()));
      }
      return;
    }
    // An absurd count from an untrusted server is clipped rather than believed.
    int k = serverTokens > 0 ? (int) Math.min(serverTokens, MAX_TOKENS_PER_CHUNK) : 1;
    if (serverTokens > 0) serverCountedChunks++;
    tokens += k;
    gaps.add(choice, nanos, k);
    if (firstTokenNanos == 0) {
      firstTokenNanos = nanos;
    }
    if (kind != OutputKind.REASONING && firstOutputNanos == 0) {
      firstOutputNanos = nanos;
    }
    if (kind == OutputKind.REASONING) {
      reasoningChunks++;
    }
    lastTokenNanos = nanos;
    tokenChunks++;
    if (liveTokens != null) liveTokens.increment();
    kinds.add(kind);
    if (choice > maxChoice) {
      maxChoice = choice;
    }
    if (captureContent && kind == OutputKind.CONTENT && content.length() < MAX_CAPTURE_CHARS) {
      content.append(text, 0, Math.min(text.length(), MAX_CAPTURE_CHARS - content.length()));
    }
  }

  /**
   * A kind of output that came in a chunk-choice already counted under another kind (reasoning
   * and content in one delta): it is noted for {@link #kinds()} but is not another token.
   */
  public void alsoKind(OutputKind kind) {
    kinds.add(kind);
  }

  /** Token counts from a usage object; null arguments leave earlier values in place. */
  public void usage(
      @Nullable Long promptTokens,
      @Nullable Long completionTokens,
      @Nullable Long cachedTokens,
      @Nullable Long reasoning) {
    usageUpdates++;
    if (promptTokens != null) usagePromptTokens = promptTokens;
    if (completionTokens != null) usageCompletionTokens = completionTokens;
    if (cachedTokens != null) cachedPromptTokens = cachedTokens;
    if (reasoning != null) reasoningTokens = reasoning;
  }

  /**
   * An output-token count from a server field other than {@code usage}, such as Ollama's {@code
   * eval_count} or TGI's {@code details.generated_tokens}.
   */
  public void serverOutputTokens(long n, String source) {
    serverOutputTokens = n;
    serverOutputTokensSource = source;
  }

  /** A prompt-token count from a server field other than {@code usage}. */
  public void serverPromptTokens(long n) {
    usagePromptTokens = n;
  }

  public void finishReason(@Nullable String reason) {
    if (reason != null && !reason.isEmpty()) {
      finishReason = reason;
    }
  }

  /** A server-side figure for the record's {@code server} object (timings, ids, ...). */
  public void server(String key, @Nullable Object value) {
    if (value != null) {
      server.put(key, value);
    }
  }

  /** Inputs embedded or documents ranked, as the answer counts them (embeddings, rerank). */
  public void items(int n) {
    items = n;
  }

  public @Nullable Integer items() { return items; }

  private @Nullable Integer items;

  /** The stream's terminal event arrived ({@code [DONE]}, {@code "done":true}, ...). */
  public void done() {
    if (outcome == Outcome.RUNNING) {
      outcome = Outcome.DONE;
    }
  }

  /** The server reported an error inside the stream. */
  public void serverError(String message) {
    if (outcome == Outcome.RUNNING || outcome == Outcome.DONE) {
      outcome = Outcome.STREAM_ERROR;
      error = message;
    }
  }

  /** A chunk could not be read. The first reason is kept. */
  public void malformed(String reason) {
    if (outcome == Outcome.RUNNING || outcome == Outcome.DONE) {
      outcome = Outcome.MALFORMED;
      error = reason;
    }
  }

  // ---- read by the action ----

  public Outcome outcome() { return outcome; }

  public @Nullable String error() { return error; }

  public long firstByteNanos() { return firstByteNanos; }

  public long firstTokenNanos() { return firstTokenNanos; }

  public long firstOutputNanos() { return firstOutputNanos; }

  public long lastTokenNanos() { return lastTokenNanos; }

  public int events() { return events; }

  /** Output chunks summed over choices: the client-side token count. */
  public int tokenChunks() { return tokenChunks; }

  public int reasoningChunks() { return reasoningChunks; }

  public Set<OutputKind> kinds() { return kinds; }

  public int choices() { return maxChoice + 1; }

  /**
   * Inter-token gaps, nanos: entry i stands for {@link #gapWeights()}[i] gaps of that value; the
   * arrays may be longer than {@link #gapEntries()}.
   */
  public long[] gaps() { return gaps.values(); }

  public int[] gapWeights() { return gaps.weights(); }

  public int gapEntries() { return gaps.entries(); }

  /** Number of inter-token gaps: Σ over choices of (tokens − 1). */
  public long gapCount() { return gaps.count(); }

  /** Σ over choices of (last token − first token), nanos: the time the gaps span. */
  public long decodeNanos() { return gaps.decodeNanos(); }

  /** Sequences (choices) that produced at least one token. */
  public int sequences() { return gaps.sequences(); }

  /** Output tokens as the chunks (and the server's per-chunk counts) show, summed over choices. */
  public long chunkTokenCount() { return tokens; }

  /** Chunk-choices whose token count the server gave (0: every chunk counted as one token). */
  public int serverCountedChunks() { return serverCountedChunks; }

  public @Nullable Long usagePromptTokens() { return usagePromptTokens; }

  public @Nullable Long usageCompletionTokens() { return usageCompletionTokens; }

  public @Nullable Long cachedPromptTokens() { return cachedPromptTokens; }

  public @Nullable Long reasoningTokens() { return reasoningTokens; }

  public int usageUpdates() { return usageUpdates; }

  public @Nullable Long serverOutputTokens() { return serverOutputTokens; }

  public @Nullable String serverOutputTokensSource() { return serverOutputTokensSource; }

  public @Nullable String finishReason() { return finishReason; }

  public Map<String, Object> server() { return server; }

  /** Captured content text, or null when capture was off. */
  public @Nullable String content() { return captureContent ? content.toString() : null; }
}
