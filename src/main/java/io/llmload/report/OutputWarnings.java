package io.llmload.report;

/**
 * The counts behind a phase's warnings about what the server did with the requests: outputs
 * shorter than {@code max_tokens}, prompts off their target length, and the server's output-token
 * count apart from the client's chunk count.
 */
final class OutputWarnings {
  long withMaxTokens;
  long shortOutputs;
  double shortOutputRatioSum;
  long maxTokensSeen = RequestRecord.ABSENT;
  long withPromptTarget;
  long promptOffTarget;
  long tokenCountsCompared;
  long tokenCountsApart;

  void add(RequestRecord r) {
    if (r.maxTokens != RequestRecord.ABSENT && r.maxTokens > 0 && r.outputTokens != RequestRecord.ABSENT) {
      withMaxTokens++;
      maxTokensSeen = Math.max(maxTokensSeen, r.maxTokens);
      if (r.outputTokens < r.maxTokens) {
        shortOutputs++;
        shortOutputRatioSum += (double) r.outputTokens / r.maxTokens;
      }
    }
    if (r.targetPromptTokens != RequestRecord.ABSENT && r.targetPromptTokens > 0
        && r.promptTokens != RequestRecord.ABSENT) {
      withPromptTarget++;
      if (Math.abs(r.promptTokens - r.targetPromptTokens) > 0.10 * r.targetPromptTokens) promptOffTarget++;
    }
    if (r.chunkTokens != RequestRecord.ABSENT && r.outputTokens != RequestRecord.ABSENT
        && r.outputTokensSource != null && !"chunks".equals(r.outputTokensSource)) {
      tokenCountsCompared++;
      long diff = Math.abs(r.outputTokens - r.chunkTokens);
      if (diff > 0.10 * Math.max(1, r.outputTokens)) tokenCountsApart++;
    }
  }

  void merge(OutputWarnings o) {
    withMaxTokens += o.withMaxTokens;
    shortOutputs += o.shortOutputs;
    shortOutputRatioSum += o.shortOutputRatioSum;
    maxTokensSeen = Math.max(maxTokensSeen, o.maxTokensSeen);
    withPromptTarget += o.withPromptTarget;
    promptOffTarget += o.promptOffTarget;
    tokenCountsCompared += o.tokenCountsCompared;
    tokenCountsApart += o.tokenCountsApart;
  }
}
