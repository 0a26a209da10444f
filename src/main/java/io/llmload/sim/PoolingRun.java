package io.llmload.sim;

import io.llmload.config.Params;
import io.llmload.wire.Protocol;
import io.llmload.workload.InputBatches;
import io.llmload.workload.Workload;

/** What an embeddings or rerank run reads before load: texts per request, and their checks. */
final class PoolingRun {
  private PoolingRun() {}

  /**
   * The workload batched per request: {@code embeddings.batch} inputs (default 1), or a query and
   * {@code rerank.documents} documents (default 8). Bad values stop the run in one line.
   */
  static Workload workload(Params params, Protocol protocol, Workload w) {
    int size = protocol == Protocol.RERANK
        ? params.positiveInt("rerank.documents", 8)
        : params.positiveInt("embeddings.batch", 1);
    try {
      return InputBatches.wrap(w, protocol, size);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
  }

  /** {@code encodingFormat}: how embeddings come back, {@code float} (default) or {@code base64}. */
  static String encodingFormat(Params params) {
    return params.choice("encodingFormat", "float", "float", "base64");
  }
}
