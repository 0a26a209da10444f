package io.llmload.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a user body joins the suite's: objects merge key by key at every depth, anything else
 * (numbers, strings, lists, null) replaces. So {@code body("parameters", {"temperature": 0})} on
 * TGI adds a parameter and keeps {@code max_new_tokens} and {@code details}. Fields the suite
 * reserves ({@link ReservedField}) are refused before they could be lost.
 */
public final class BodyMerge {
  private BodyMerge() {}

  /**
   * {@code into} with {@code field} merged in: a map value merges into a map already there, any
   * other value replaces. Neither argument is changed.
   */
  public static Map<String, Object> merge(Map<String, Object> into, String field, @Nullable Object value) {
    Map<String, Object> out = new LinkedHashMap<>(into);
    Object old = out.get(field);
    if (old instanceof Map<?, ?> o && value instanceof Map<?, ?> v) {
      Map<String, Object> m = asStringMap(o);
      for (Map.Entry<?, ?> e : v.entrySet()) m = merge(m, String.valueOf(e.getKey()), e.getValue());
      out.put(field, Collections.unmodifiableMap(m));
    } else {
      out.put(field, value);
    }
    return out;
  }

  /** Merges {@code extra} into {@code base} in place, by the same rule as {@link #merge}. */
  static void mergeInto(ObjectNode base, ObjectNode extra) {
    for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = base.get(e.getKey());
      if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode v) {
        mergeInto(o, v);
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Refuses a user body that would change or remove a reserved field.
   *
   * @throws IllegalArgumentException one line naming the field and why
   */
  static void check(Map<String, ?> extra, List<ReservedField> reserved) {
    for (ReservedField r : reserved) {
      String[] parts = r.path().split("\\.");
      Map<?, ?> level = extra;
      for (int i = 0; i < parts.length; i++) {
        if (!level.containsKey(parts[i])) break;
        Object v = level.get(parts[i]);
        if (i == parts.length - 1) {
          if (r.value() == null || !r.value().equals(v)) throw new IllegalArgumentException(r.refusal());
        } else if (v instanceof Map<?, ?> m) {
          level = m;
        } else {
          throw new IllegalArgumentException(r.refusalOfParent(String.join(".", List.of(parts).subList(0, i + 1))));
        }
      }
    }
  }

  private static Map<String, Object> asStringMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
    return out;
  }
}
