package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-style embeddings, {@code POST /v1/embeddings} (OpenAI, vLLM, TEI, llama.cpp with
 * {@code --embeddings}): the inputs of one request are the messages' contents (a batch, one input
 * each) or the prompt; {@code encoding_format} is {@code float} unless the body says {@code base64}.
 * Never streamed: the answer is one JSON body.
 */
final class EmbeddingsCodec implements StreamCodec {

  static final EmbeddingsCodec INSTANCE = new EmbeddingsCodec();
  static final List<String> ENCODINGS = List.of("float", "base64");

  private static final List<ReservedField> RESERVED =
      List.of(OpenAiCompletionsCodec.MODEL, ReservedField.setBy("input", "prompt(...) or messages(...) (one input each)"));

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_EMBEDDINGS;
  }

  @Override
  public String path() {
    return "/v1/embeddings";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    checkExtraBody(spec.extraBody());
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    ArrayNode input = b.putArray("input");
    for (String text : Inputs.texts(spec)) {
      input.add(text);
    }
    if (input.isEmpty()) {
      throw new IllegalArgumentException("embeddings: the request has no input text; give a prompt or messages");
    }
    b.put("encoding_format", "float");
    return Json.finish(b, spec.extraBody(), RESERVED);
  }

  @Override
  public void checkExtraBody(Map<String, ?> extraBody) {
    BodyMerge.check(extraBody, RESERVED);
    Object enc = extraBody.get("encoding_format");
    if (extraBody.containsKey("encoding_format") && !ENCODINGS.contains(enc)) {
      throw new IllegalArgumentException("body: encoding_format '" + enc + "' is not allowed; allowed: float, base64");
    }
  }

  @Override
  public List<ReservedField> reservedFields() {
    return RESERVED;
  }

  @Override
  public StreamParser newParser() {
    return newWholeBodyParser();
  }

  @Override
  public StreamParser newWholeBodyParser() {
    return new WholeBodyParser(new EmbeddingsHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models", "/info");
  }
}
