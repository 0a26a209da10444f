package io.llmload.workload;

import io.llmload.wire.Protocol;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload of an embeddings or rerank run: each request takes several of the workload's texts,
 * one per input ({@code embeddings.batch}, default 1), or a query and {@code rerank.documents}
 * documents (default 8), sent as one message each; the record's input tokens are their sum.
 */
public final class InputBatches implements Workload {
  private final Workload inner;
  private final Protocol protocol;
  private final int perRequest;

  private InputBatches(Workload inner, Protocol protocol, int perRequest) {
    this.inner = inner;
    this.protocol = protocol;
    this.perRequest = perRequest;
  }

  /**
   * The batched workload for {@code protocol}, or the workload itself for a generating protocol.
   *
   * @param size texts per request: the batch (embeddings) or the documents (rerank), >= 1
   * @throws IllegalArgumentException one line, when the workload's first text is empty
   */
  public static Workload wrap(Workload inner, Protocol protocol, int size) {
    if (protocol.generates()) return inner;
    InputBatches b = new InputBatches(inner, protocol, protocol == Protocol.RERANK ? size + 1 : size);
    Iterator<Map<String, Object>> first = inner.feeder();
    Object prompt = first.hasNext() ? first.next().get("prompt") : null;
    if (prompt == null || prompt.toString().isEmpty()) {
      throw new BadWorkload(protocol.id() + ": the workload's input text is empty; give -Dprompt or a workload with text");
    }
    return b;
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    Iterator<Map<String, Object>> it = inner.feeder();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Map<String, Object> next() {
        List<Map<String, Object>> messages = new ArrayList<>(perRequest);
        Map<String, Object> first = null;
        long tokens = 0;
        boolean counted = true;
        for (int i = 0; i < perRequest && (i == 0 || it.hasNext()); i++) {
          Map<String, Object> r = it.next();
          if (first == null) first = r;
          messages.add(Map.of("role", "user", "content", String.valueOf(r.get("prompt"))));
          if (r.get("inputTokens") instanceof Number n) tokens += n.longValue();
          else counted = false;
        }
        Map<String, Object> out = new LinkedHashMap<>(first);
        out.put("messages", messages);
        if (counted) out.put("inputTokens", (int) Math.min(Integer.MAX_VALUE, tokens));
        return out;
      }
    };
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>(inner.describe());
    d.put(protocol == Protocol.RERANK ? "rerank.documents" : "embeddings.batch",
        protocol == Protocol.RERANK ? perRequest - 1 : perRequest);
    return d;
  }

  @Override
  public boolean forcesOutputLength() {
    return false;
  }

  @Override
  public Map<String, Object> extraBody() {
    return Map.of(); // nothing is generated: no output length to force
  }

  @Override
  public List<Long> arrivalOffsetsMs() {
    return inner.arrivalOffsetsMs();
  }
}
