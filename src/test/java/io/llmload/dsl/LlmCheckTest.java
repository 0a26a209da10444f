package io.llmload.dsl;

import static io.llmload.dsl.LlmDsl.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmload.record.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * Checks as users write them: the obvious numeric forms compile and compare numbers, and a failure's
 * KO message is the same whatever was measured, the value going to the record.
 */
class LlmCheckTest {

  private static LlmResult result(double ttft, long outputTokens) {
    RequestRecord r = new RequestRecord();
    r.ttftMs = ttft;
    r.outputTokens = outputTokens;
    r.promptTokens = 100L;
    r.finishReason = "length";
    return new LlmResult(r, null);
  }

  @Test
  void intLiteralsWorkOnLongAndDoubleValuedChecks() {
    LlmResult r = result(2000.0, 256);
    assertNull(outputTokens().is(256).failure(r));
    assertNull(outputTokens().is(256L).failure(r));
    assertNull(outputTokens().in(128, 256).failure(r));
    assertNull(outputTokens().not(255).failure(r));
    assertNull(outputTokens().gte(256).failure(r));
    assertNull(promptTokens().is(100).failure(r));
    assertNull(ttft().is(2000).failure(r));
    assertNull(ttft().lte(2000).failure(r));
    assertNull(finishReason().is("length").failure(r));
    assertNull(finishReason().in("stop", "length").failure(r));
    assertEquals("outputTokens.is(255), but actually found 256", outputTokens().is(255).failure(r).detail());
    assertEquals("outputTokens.in([1, 2]), but actually found 256", outputTokens().in(1, 2).failure(r).detail());
    assertEquals("ttft.not(2000)", ttft().not(2000).failure(r).message());
  }

  @Test
  void aFailureMessageIsTheSameWhateverWasMeasuredAndTheRecordGetsTheValue() {
    LlmCheck<Double> bound = ttft().lt(2000);
    LlmCheck.Failure a = bound.failure(result(2412.3, 10));
    LlmCheck.Failure b = bound.failure(result(3100.7, 10));
    assertEquals("ttft.lt(2000)", a.message());
    assertEquals(a.message(), b.message(), "one error row per check");
    assertEquals("ttft.lt(2000), but actually found 2412.3", a.detail());
    assertNotEquals(a.detail(), b.detail());
    LlmCheck.Failure tokens = outputTokens().is(256).failure(result(1, 17));
    assertEquals("outputTokens.is(256)", tokens.message());
    assertTrue(tokens.detail().endsWith("found 17"), tokens.detail());
    LlmResult none = new LlmResult(new RequestRecord(), null);
    assertEquals("ttft.lt(2000), but found nothing", bound.failure(none).message());
    LlmCheck.Failure odd = content().lt(3).failure(new LlmResult(new RequestRecord(), "abc"));
    assertEquals("content.lt(3), but it could not be evaluated", odd.message());
    assertTrue(odd.detail().startsWith(odd.message() + ": "), odd.detail());
  }
}
