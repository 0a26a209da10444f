package io.llmload.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing cost of whole real captures, fed in reads of {@code readBytes} as a socket would deliver
 * them. The auxiliary counters report events/s and bytes/s, from which ns/event and MB/s follow;
 * run with {@code -prof gc} for bytes allocated per body. See docs/performance-parsers.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WireParseBenchmark {

  @State(Scope.Thread)
  public static class Body {
    /** protocol:capture, relative to src/test/resources/fixtures/streams. */
    @Param({
      "openai-chat:openai-chat/pydantic-ai-deepseek-reasoner-reasoning-content.sse",
      "openai-chat:openai-chat/openai-gpt4o-n3-multichoice.sse",
      "ollama-generate:ollama-native/langchaingo-api-generate-gemma3.ndjson",
      "tgi:tgi-native/semantic-kernel-tgi-generate-stream-150tok.sse",
      "llamacpp:llamacpp-server/native-completion-stream.sse"
    })
    public String capture;

    /** Bytes per read: 1448 is a TCP segment's payload; 65536 a full read buffer. */
    @Param({"1448", "65536"})
    public int readBytes;

    Protocol protocol;
    StreamCodec codec;
    byte[] bytes;
    int events;

    @Setup
    public void load() throws IOException {
      int colon = capture.indexOf(':');
      protocol = Protocol.parse(capture.substring(0, colon));
      codec = StreamCodec.of(protocol);
      Path file = Path.of("src", "test", "resources", "fixtures", "streams", capture.substring(colon + 1));
      bytes = Files.readAllBytes(file);
      events = parse(this).events();
    }
  }

  /** Reported by JMH as rates: events/s and bytes/s. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    public long events;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      events = 0;
      bytes = 0;
    }
  }

  /** Frames only, with a handler that does nothing: the framing cost alone. */
  @State(Scope.Thread)
  public static class NoOp implements EventHandler {
    @Override
    public void onEvent(@Nullable String event, byte[] data, int off, int len, long nanos, StreamState st) {
      st.event();
    }
  }

  @Benchmark
  public StreamState parse(Body b, Rates r) {
    StreamState st = parse(b);
    r.events += b.events;
    r.bytes += b.bytes.length;
    return st;
  }

  @Benchmark
  public StreamState frameOnly(Body b, Rates r, NoOp handler) {
    StreamParser p =
        b.codec.newParser() instanceof NdjsonFramer ? new NdjsonFramer(handler) : new SseFramer(handler);
    StreamState st = feed(p, b);
    r.events += b.events;
    r.bytes += b.bytes.length;
    return st;
  }

  static StreamState parse(Body b) {
    return feed(b.codec.newParser(), b);
  }

  private static StreamState feed(StreamParser p, Body b) {
    StreamState st = new StreamState(false);
    byte[] body = b.bytes;
    for (int i = 0; i < body.length; i += b.readBytes) {
      p.feed(body, i, Math.min(b.readBytes, body.length - i), i, st);
    }
    p.end(body.length, st);
    return st;
  }
}
