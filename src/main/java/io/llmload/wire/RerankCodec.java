package io.llmload.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Rerank, {@code POST /rerank} with a Cohere-style body ({@code model, query, documents}), as vLLM
 * serves it (also under {@code /v1/rerank}); the answer may be vLLM's {@code results[]} or TEI's bare
 * array. The query is the first message's content, the documents the others' (the workload's
 * {@code rerank.documents} gives how many). Never streamed.
 */
final class RerankCodec implements StreamCodec {

  static final RerankCodec INSTANCE = new RerankCodec();

  private static final List<ReservedField> RESERVED =
      List.of(
          OpenAiCompletionsCodec.MODEL,
          ReservedField.setBy("query", "the workload (its first text)"),
          ReservedField.setBy("documents", "the workload (rerank.documents texts)"));

  @Override
  public Protocol protocol() {
    return Protocol.RERANK;
  }

  @Override
  public String path() {
    return "/rerank";
  }

  @Override
  public byte[] body(RequestSpec spec) {
    List<String> texts = Inputs.texts(spec);
    if (texts.size() < 2) {
      throw new IllegalArgumentException("rerank: the request has no documents; a query and at least one document are needed");
    }
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (spec.model() != null) {
      b.put("model", spec.model());
    }
    b.put("query", texts.get(0));
    ArrayNode docs = b.putArray("documents");
    for (String d : texts.subList(1, texts.size())) {
      docs.add(d);
    }
    return Json.finish(b, spec.extraBody(), RESERVED);
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
    return new WholeBodyParser(new RerankHandler());
  }

  @Override
  public List<String> identityPaths() {
    return List.of("/v1/models", "/info");
  }
}
