package io.llmload.collector.runfolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@code run.json} (docs/run-folder.md, schema 1): its fields, in the order they are written.
 * A field outside {@link #FIELDS} is refused, so a field is written only once it is documented (a
 * test holds the list and the documentation together).
 */
public final class RunJson {
  public static final int SCHEMA = 1;
  public static final List<String> FIELDS = List.of(
      "schema", "suite_version", "simulation", "run_folder", "target", "emulator", "protocol", "model",
      "parameters", "workload", "server", "host", "os", "cpus", "jvm", "git_commit",
      "start_epoch_us", "end_epoch_us", "phases", "slo", "assertions", "shard", "shards", "complete");
  /** The fields of one entry of {@code phases}. */
  public static final List<String> PHASE_FIELDS =
      List.of("name", "level", "start_epoch_us", "end_epoch_us", "warmup_end_epoch_us");

  private final Map<String, @Nullable Object> values = new LinkedHashMap<>();

  public RunJson() {
    values.put("schema", SCHEMA);
  }

  /** Sets one field; null is written as null. */
  public RunJson put(String field, @Nullable Object value) {
    if (!FIELDS.contains(field)) {
      throw new IllegalArgumentException("run.json has no field '" + field + "' (docs/run-folder.md)");
    }
    values.put(field, value);
    return this;
  }

  /** One entry of {@code phases}. */
  public static Map<String, @Nullable Object> phase(String name, @Nullable Double level, long startUs, long endUs, long warmupEndUs) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("level", level);
    m.put("start_epoch_us", startUs);
    m.put("end_epoch_us", endUs);
    m.put("warmup_end_epoch_us", warmupEndUs);
    return m;
  }

  /** The fields set, in {@link #FIELDS} order. */
  public Map<String, @Nullable Object> fields() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (String f : FIELDS) {
      if (values.containsKey(f)) out.put(f, values.get(f));
    }
    return out;
  }

  /** Indented JSON, as written to the run folder. */
  public byte[] toBytes() throws java.io.IOException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(fields());
  }
}
