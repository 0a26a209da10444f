package io.llmload.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes manifests read into fabric8's typed model (the Kubernetes API's Java classes, generated
 * from its OpenAPI schema) with unknown fields refused: fabric8 keeps a field it does not know in
 * {@code additionalProperties} instead of failing, so every object of the result is walked and any
 * such field is named with its path. A wrong type (a string where a number goes) fails in Jackson.
 */
final class ManifestModel {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/ConfigMap", ConfigMap.class,
      "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
      "v1/Pod", Pod.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "batch/v1/Job", Job.class);

  private ManifestModel() {}

  /** The YAML documents of a file, as trees (a file may hold several, separated by ---). */
  static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isEmpty()) docs.add(n);
      }
    }
    return docs;
  }

  /** One document as its typed object; fails naming the file, the kind and every unknown field. */
  static HasMetadata typed(String where, JsonNode doc) throws IOException {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    if (type == null) throw new AssertionError(where + ": kind " + key + " is not one this suite's manifests use");
    HasMetadata typed = YAML.treeToValue(doc, type);
    List<String> unknown = new ArrayList<>();
    unknownFields(typed, doc.path("kind").asText(), unknown);
    if (!unknown.isEmpty()) throw new AssertionError(where + ": fields unknown to Kubernetes " + key + ": " + unknown);
    return typed;
  }

  /** Collects {@code path.field} for every field of the typed tree that landed in additionalProperties. */
  static void unknownFields(Object o, String path, List<String> out) {
    if (o == null) return;
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) unknownFields(e, path + "[" + i++ + "]", out);
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) return;
    for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) continue;
        f.setAccessible(true);
        Object v;
        try {
          v = f.get(o);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (f.getName().equals("additionalProperties")) {
          if (v instanceof Map<?, ?> extra) extra.keySet().forEach(k -> out.add(path + "." + k));
        } else {
          unknownFields(v, path + "." + f.getName(), out);
        }
      }
    }
  }
}
