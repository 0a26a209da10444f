package io.llmload.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/, offline: every manifest is a valid object of its Kubernetes kind with no field
 * Kubernetes does not know (fabric8's model, see {@link ManifestModel}), and the files agree with
 * each other: N is set once and the shard Job and the merge get that N, the key comes from a Secret
 * that no manifest holds, every $(VAR) a container uses is defined.
 */
class KubernetesManifestsTest {
  static final Path DIR = Path.of("deploy/kubernetes");
  static final Map<String, HasMetadata> BY_NAME = new HashMap<>();
  static final List<String> FILES = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (f.getFileName().toString().equals("kustomization.yaml")) continue;
        FILES.add(f.getFileName().toString());
        for (JsonNode doc : ManifestModel.documents(f)) {
          HasMetadata o = ManifestModel.typed(f.toString(), doc);
          BY_NAME.put(o.getKind() + "/" + o.getMetadata().getName(), o);
        }
      }
    }
  }

  @Test
  void everyManifestIsAKnownKindWithOnlyKnownFields() {
    // load() has typed every document; this says which were there
    assertEquals(new TreeSet<>(List.of("ConfigMap/llm-load-settings", "PersistentVolumeClaim/llm-load-results",
        "Job/llm-load-shards", "Job/llm-load-merge", "Deployment/llm-load-emulator", "Service/llm-load-emulator",
        "Pod/llm-load-results-reader")), new TreeSet<>(BY_NAME.keySet()));
  }

  @Test
  void aMisspelledFieldIsRefused() throws Exception {
    String yaml = Files.readString(DIR.resolve("shards-job.yaml")).replace("  parallelism:", "  paralelism:");
    JsonNode doc = ManifestModel.YAML.readTree(yaml);
    AssertionError e = assertThrows(AssertionError.class, () -> ManifestModel.typed("edited", doc));
    assertTrue(e.getMessage().contains("Job.spec.paralelism"), e.getMessage());
    JsonNode wrongType = ManifestModel.YAML.readTree(yaml.replace("backoffLimit: 0", "backoffLimit: none"));
    assertThrows(Exception.class, () -> ManifestModel.typed("edited", wrongType));
  }

  @Test
  void theShardJobRunsNIndexedPodsAndTheMergeWaitsForTheSameN() throws Exception {
    ConfigMap settings = (ConfigMap) BY_NAME.get("ConfigMap/llm-load-settings");
    int n = Integer.parseInt(settings.getData().get("SHARDS"));
    Job shards = (Job) BY_NAME.get("Job/llm-load-shards");
    assertEquals("Indexed", shards.getSpec().getCompletionMode());
    assertEquals(n, shards.getSpec().getCompletions(), "completions = SHARDS");
    assertEquals(n, shards.getSpec().getParallelism(), "parallelism = SHARDS");
    assertEquals(0, shards.getSpec().getBackoffLimit(), "a shard is not rerun after the common start");
    Container shard = container(shards);
    assertTrue(shard.getArgs().containsAll(List.of("shard", "-Dshards=$(SHARDS)", "-DstartAt=$(START_AT)")), shard.getArgs().toString());
    // the merge gets SHARDS from the same ConfigMap, through its environment
    Container merge = container((Job) BY_NAME.get("Job/llm-load-merge"));
    assertEquals("merge", merge.getArgs().get(0));
    assertEquals("llm-load-settings", merge.getEnvFrom().get(0).getConfigMapRef().getName());
    assertEquals("llm-load-settings", shard.getEnvFrom().get(0).getConfigMapRef().getName());
    assertNotNull(settings.getData().get("MERGE_WAIT"));
    // the kustomization copies SHARDS into both fields, and lists every manifest but the optional ones
    JsonNode k = ManifestModel.YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    JsonNode r = k.path("replacements").get(0);
    assertEquals("data.SHARDS", r.path("source").path("fieldPath").asText());
    assertEquals("llm-load-settings", r.path("source").path("name").asText());
    assertEquals("llm-load-shards", r.path("targets").get(0).path("select").path("name").asText());
    assertEquals("[\"spec.completions\",\"spec.parallelism\"]", r.path("targets").get(0).path("fieldPaths").toString());
    assertEquals("kustomize.config.k8s.io/v1beta1", k.path("apiVersion").asText());
    assertEquals("Kustomization", k.path("kind").asText());
    List<String> keys = new ArrayList<>();
    k.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("apiVersion", "kind", "resources", "replacements"), keys, "only fields kustomize knows");
    List<String> resources = new ArrayList<>();
    k.path("resources").forEach(x -> resources.add(x.asText()));
    List<String> expected = new ArrayList<>(FILES);
    expected.removeAll(List.of("emulator.yaml", "results-reader.yaml"));
    assertEquals(new TreeSet<>(expected), new TreeSet<>(resources));
  }

  @Test
  void theApiKeyComesFromASecretThatNoManifestHolds() throws Exception {
    assertTrue(BY_NAME.keySet().stream().noneMatch(n -> n.startsWith("Secret/")), "no Secret among the manifests");
    Container shard = container((Job) BY_NAME.get("Job/llm-load-shards"));
    EnvVar key = shard.getEnv().stream().filter(e -> e.getName().equals("LLM_API_KEY")).findFirst().orElseThrow();
    assertNull(key.getValue(), "the key is never a literal");
    assertEquals("llm-load-api-key", key.getValueFrom().getSecretKeyRef().getName());
    assertTrue(shard.getArgs().contains("-DapiKeyEnv=LLM_API_KEY"), "the suite reads the key from that variable");
    for (String f : FILES) {
      String text = Files.readString(DIR.resolve(f)).toLowerCase();
      assertFalse(text.matches("(?s).*(apikey|api_key|api-key|token|password)\\s*[:=]\\s*\\S.*")
          && !f.equals("shards-job.yaml"), f + " holds something like a key");
    }
    String options = ((ConfigMap) BY_NAME.get("ConfigMap/llm-load-settings")).getData().get("JAVA_TOOL_OPTIONS");
    assertFalse(options.toLowerCase().contains("key"), options);
  }

  @Test
  void containersUseOnlyDefinedVariablesTheImageAndOneResultsVolume() throws Exception {
    ConfigMap settings = (ConfigMap) BY_NAME.get("ConfigMap/llm-load-settings");
    Instant.parse(settings.getData().get("START_AT"));
    Class.forName(settings.getData().get("SIMULATION")); // a simulation the image holds
    PersistentVolumeClaim pvc = (PersistentVolumeClaim) BY_NAME.get("PersistentVolumeClaim/llm-load-results");
    assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());
    String image = "llm-load-suite:" + ImageConfigTest.pomVersion();
    Pattern ref = Pattern.compile("\\$\\(([A-Z_]+)\\)");
    for (String name : List.of("Job/llm-load-shards", "Job/llm-load-merge")) {
      Job job = (Job) BY_NAME.get(name);
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      assertEquals("Never", pod.getRestartPolicy(), name);
      Container c = pod.getContainers().get(0);
      assertEquals(image, c.getImage(), name);
      for (String a : c.getArgs()) {
        Matcher m = ref.matcher(a);
        while (m.find()) assertTrue(settings.getData().containsKey(m.group(1)), name + " uses undefined $(" + m.group(1) + ")");
      }
      assertTrue(c.getArgs().contains("-Dllmload.resultsDir=/results/$(START_AT)"), name + ": one folder per load");
      assertEquals("/results", c.getVolumeMounts().get(0).getMountPath(), name);
      assertEquals("llm-load-results", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName(), name);
    }
  }

  /** Where kubectl is installed (not needed in CI): kustomize's own rendering carries a changed N. */
  @Test
  void kustomizeCarriesAChangedNIntoTheJob(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl not installed: the kustomization is checked as data above");
    for (String f : FILES) Files.copy(DIR.resolve(f), tmp.resolve(f));
    Files.copy(DIR.resolve("kustomization.yaml"), tmp.resolve("kustomization.yaml"));
    Path settings = tmp.resolve("settings.yaml");
    Files.writeString(settings, Files.readString(settings).replaceFirst("SHARDS: \"\\d+\"", "SHARDS: \"7\""));
    Process p = new ProcessBuilder("kubectl", "kustomize", tmp.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    Path rendered = tmp.resolve("rendered.out");
    Files.writeString(rendered, out);
    int jobs = 0;
    for (JsonNode doc : ManifestModel.documents(rendered)) {
      if (ManifestModel.typed("kubectl kustomize", doc) instanceof Job j && j.getMetadata().getName().equals("llm-load-shards")) {
        assertEquals(7, j.getSpec().getCompletions());
        assertEquals(7, j.getSpec().getParallelism());
        jobs++;
      }
    }
    assertEquals(1, jobs, out);
  }

  private static boolean onPath(String cmd) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, cmd)));
  }

  static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
