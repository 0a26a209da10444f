package io.llmload.wire;

/** Kinds of generated output a chunk may carry; every kind counts as a token for TTFT. */
public enum OutputKind {
  CONTENT("content"),
  REASONING("reasoning"),
  REFUSAL("refusal"),
  TOOL_CALL("tool_call");

  private final String id;

  OutputKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
