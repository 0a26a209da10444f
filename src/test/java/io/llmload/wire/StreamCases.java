package io.llmload.wire;

import java.nio.charset.StandardCharsets;

/** Feeds synthetic bodies to a codec's parser, each piece at its own instant (10, 20, ...). */
final class StreamCases {
  private StreamCases() {}

  static StreamState run(Protocol p, String... pieces) {
    StreamState st = new StreamState(true);
    StreamParser parser = StreamCodec.of(p).newParser();
    long t = 10;
    for (String piece : pieces) {
      byte[] b = piece.getBytes(StandardCharsets.UTF_8);
      parser.feed(b, 0, b.length, t, st);
      t += 10;
    }
    parser.end(t, st);
    return st;
  }

  /** One chat chunk with the given choices JSON and optional extra top-level fields. */
  static String chunk(String choices, String extra) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":" + choices
        + (extra.isEmpty() ? "" : "," + extra) + "}\n\n";
  }

  static String delta(int index, String delta, String finish) {
    return "{\"index\":" + index + ",\"delta\":" + delta + ",\"finish_reason\":" + finish + "}";
  }
}
