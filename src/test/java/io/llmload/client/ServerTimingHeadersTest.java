package io.llmload.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.llmload.wire.StreamState;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

/** TGI's timing headers become the record's server figures; anything but a plain number is left out. */
class ServerTimingHeadersTest {

  @Test
  void numbersAreKeptJunkIsNot() {
    DefaultHttpHeaders h = new DefaultHttpHeaders();
    h.set("x-queue-time", "12").set("x-inference-time", "340 ").set("x-time-per-token", "42.5")
        .set("x-validation-time", "-1").set("x-total-time", "soon");
    StreamState st = new StreamState(false);
    ServerTimingHeaders.read(h, st);
    assertEquals(12L, st.server().get("queue_time_ms"));
    assertEquals(340L, st.server().get("inference_time_ms"));
    assertEquals(42.5, st.server().get("time_per_token_ms"));
    assertFalse(st.server().containsKey("validation_time_ms"));
    assertFalse(st.server().containsKey("total_time_ms"));
  }
}
