package io.llmload.workload;

import io.llmload.config.Params;
import io.llmload.wire.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Builders shared by the workload tests. */
final class WorkloadFixtures {
  private WorkloadFixtures() {}

  /** The committed sample files, located from the Maven basedir. */
  static String sample(String name) {
    Path p = Path.of("src", "test", "resources", "workloads", name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("sample workload file missing: " + p.toAbsolutePath() + " (run the tests from the repository root)");
    }
    return p.toString();
  }

  static Params params(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return new Params(p);
  }

  /** An emulator-like context: no /tokenize, so every count is the estimate. */
  static WorkloadContext emulator(Protocol protocol) {
    return new WorkloadContext("http://127.0.0.1:1", protocol, "emu", "Hello there", 77, null, true);
  }

  static Workload build(Protocol protocol, String... kv) {
    return Workloads.fromParams(params(kv), emulator(protocol));
  }

  static Workload build(String... kv) {
    return build(Protocol.OPENAI_CHAT, kv);
  }

  static List<Map<String, Object>> take(Workload w, int n) {
    Iterator<Map<String, Object>> it = w.feeder();
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n && it.hasNext(); i++) out.add(it.next());
    return out;
  }

  static List<Object> field(List<Map<String, Object>> records, String key) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> r : records) out.add(r.get(key));
    return out;
  }

  /** The message of the IllegalArgumentException a build throws. */
  static String error(Protocol protocol, String... kv) {
    try {
      build(protocol, kv);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error for " + String.join(" ", kv));
  }

  static String error(String... kv) {
    return error(Protocol.OPENAI_CHAT, kv);
  }
}
