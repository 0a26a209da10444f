package io.llmload.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Keeps every event a framer hands over, decoded, with its instant. */
final class RecordingHandler implements EventHandler {

  record Event(@Nullable String name, String data, long nanos) {}

  final List<Event> events = new ArrayList<>();
  int ends;

  @Override
  public void onEvent(
      @Nullable String event, byte[] data, int off, int len, long nanos, StreamState st) {
    events.add(new Event(event, new String(data, off, len, StandardCharsets.UTF_8), nanos));
  }

  @Override
  public void onEnd(long nanos, StreamState st) {
    ends++;
  }

  List<String> data() {
    return events.stream().map(Event::data).toList();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
