package io.llmload.collector.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void secretsAreHiddenAndOrdinaryOptionsKept() {
    String cmd = "python3 -m vllm.entrypoints.openai.api_server --model m --api-key sk-abcdefghijklmnop"
        + " --max-num-batched-tokens 8192 --hf-token=hf_ABCDEFGHIJKLMNOP --tokenizer t";
    String r = Redactor.redact(cmd);
    assertEquals("python3 -m vllm.entrypoints.openai.api_server --model m --api-key ***"
        + " --max-num-batched-tokens 8192 --hf-token=*** --tokenizer t", r);
  }

  @Test
  void environmentHeadersAndUrls() {
    String r = Redactor.redact("env HF_TOKEN=abc OPENAI_API_KEY=xyz curl -H Authorization: Bearer abc.def"
        + " https://user:pw@host/x --password 'a b'");
    assertFalse(r.contains("abc"), r);
    assertFalse(r.contains("xyz"), r);
    assertFalse(r.contains("pw@"), r);
    assertFalse(r.contains("'a b'"), r);
    assertEquals("llama-server -m x.gguf --port 8080 -np 64", Redactor.redact("llama-server -m x.gguf --port 8080 -np 64"));
  }
}
