package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A protocol asked for a whole answer ({@code -Dstream=false}): the streaming codec's body with
 * {@code stream: false} and without {@code stream_options} (OpenAI refuses them without a stream),
 * TGI's {@code /generate} instead of {@code /generate_stream}, and the answer read as one JSON body.
 */
final class NonStreamingCodec implements StreamCodec {
  private final StreamCodec streaming;
  private final List<ReservedField> reserved;

  NonStreamingCodec(StreamCodec streaming) {
    this.streaming = streaming;
    List<ReservedField> r = new ArrayList<>();
    for (ReservedField f : streaming.reservedFields()) {
      if (f.path().equals("stream")) {
        r.add(ReservedField.needs("stream", false, "the run asks for whole answers (-Dstream=false)"));
      } else if (!f.path().startsWith("stream_options")) {
        r.add(f);
      }
    }
    this.reserved = List.copyOf(r);
  }

  @Override
  public Protocol protocol() {
    return streaming.protocol();
  }

  @Override
  public String path() {
    return streaming.protocol() == Protocol.TGI ? "/generate" : streaming.path();
  }

  @Override
  public byte[] body(RequestSpec spec) {
    BodyMerge.check(spec.extraBody(), reserved);
    // the streaming body is built without the user's fields, which are merged below
    RequestSpec bare = new RequestSpec(spec.model(), spec.prompt(), spec.messages(), spec.maxTokens(),
        spec.minTokens(), spec.ignoreEos(), Map.of());
    ObjectNode b;
    try {
      b = (ObjectNode) Json.MAPPER.readTree(streaming.body(bare));
    } catch (IOException e) {
      throw new IllegalStateException("a codec wrote a body that is not JSON", e);
    }
    b.remove("stream_options");
    if (streaming.protocol() == Protocol.TGI) {
      b.remove("stream"); // /generate has no such field
    } else {
      b.put("stream", false);
    }
    return Json.finish(b, spec.extraBody(), reserved);
  }

  @Override
  public List<ReservedField> reservedFields() {
    return reserved;
  }

  @Override
  public List<Map.Entry<String, String>> headers() {
    return streaming.headers();
  }

  @Override
  public StreamParser newParser() {
    return streaming.newWholeBodyParser();
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return streaming.newWholeBodyParser();
  }

  @Override
  public List<String> identityPaths() {
    return streaming.identityPaths();
  }
}
