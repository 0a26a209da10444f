package io.llmload.collector;

import java.util.Map;

/** One Prometheus sample: family name (with {@code _total}, {@code _sum} ... suffix as exposed), labels, value. */
public record MetricSample(String name, Map<String, String> labels, double value) {}
