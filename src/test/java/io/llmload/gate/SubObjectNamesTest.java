package io.llmload.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmload.architecture.DefinedNames;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.collector.runfolder.RequestFields;
import io.llmload.collector.runfolder.SummaryJson;
import io.llmload.collector.runfolder.SummaryJson.Connection;
import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.runfolder.SummaryJson.Host;
import io.llmload.collector.runfolder.SummaryJson.Phase;
import io.llmload.collector.runfolder.SummaryJson.ServerGauge;
import io.llmload.collector.runfolder.SummaryJson.ServerTokens;
import io.llmload.collector.runfolder.SummaryJson.Stats;
import io.llmload.report.Aggregator;
import io.llmload.report.ReportOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary's sub-objects (slo, findings, run.hardware_from, and per phase connection, gpu,
 * process, host, server_metrics, server_tokens) are written under the names SummaryJson defines
 * and under no other: the known run of {@link SummaryHandOverTest} (a 300 W GPU), with host,
 * process and server samples added and connection fields in its records, is aggregated with an
 * energy price and an SLO so that every sub-object is present.
 */
class SubObjectNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void subObjectsAreWrittenUnderTheDefinedNamesOnly() throws IOException {
    Path run = SummaryHandOverTest.knownRun(tmp.resolve("run"));
    addConnectionFields(run);
    addHostProcessAndServer(run);
    JsonNode summary = Aggregator.aggregate(List.of(run), run, ReportOptions.defaults().pngCharts(false)
        .energyPrice(0.25).currency("EUR").sloTtft(Duration.ofMillis(100)).sloTpot(Duration.ofMillis(10)).sloE2e(Duration.ofSeconds(5)));
    JsonNode phase = summary.get(SummaryJson.PHASES).get(0);

    assertEquals(DefinedNames.of(SummaryJson.Slo.class), SummaryHandOverTest.names(summary.get(SummaryJson.SLO)), "slo");
    assertEquals(DefinedNames.of(SummaryJson.Findings.class),
        SummaryHandOverTest.names(summary.get(SummaryJson.FINDINGS)), "findings");
    assertEquals(List.of(), SummaryHandOverTest.undefined(
        summary.get(SummaryJson.RUN).get(SummaryJson.Run.HARDWARE_FROM), SummaryJson.HardwareFrom.class), "hardware_from");

    JsonNode connection = phase.get(Phase.CONNECTION);
    assertEquals(DefinedNames.of(Connection.class), SummaryHandOverTest.names(connection), "connection");
    assertEquals(List.of(), SummaryHandOverTest.undefined(connection.get(Connection.CONNECT_MS), Stats.class), "connect_ms");
    assertEquals(List.of(), SummaryHandOverTest.undefined(connection.get(Connection.TLS_MS), Stats.class), "tls_ms");

    JsonNode gpu = phase.get(Phase.GPU);
    TreeSet<String> gpuNames = DefinedNames.of(Gpu.class);
    gpuNames.remove(Gpu.ENERGY_SCOPE); // written only for a GPU split into MIG instances
    assertEquals(gpuNames, SummaryHandOverTest.names(gpu), "gpu");
    assertEquals(DefinedNames.of(Gpu.EnergyCost.class), SummaryHandOverTest.names(gpu.get(Gpu.ENERGY_COST)), "energy_cost");
    assertEquals(1, gpu.get(Gpu.PER_GPU).size());
    assertEquals(DefinedNames.of(Gpu.PerGpu.class), SummaryHandOverTest.names(gpu.get(Gpu.PER_GPU).get(0)), "per_gpu");
    assertEquals(Gpu.EnergySource.COUNTER, gpu.get(Gpu.ENERGY_SOURCE).asText());

    assertEquals(DefinedNames.of(SummaryJson.Process.class), SummaryHandOverTest.names(phase.get(Phase.PROCESS)), "process");
    assertEquals(DefinedNames.of(Host.class), SummaryHandOverTest.names(phase.get(Phase.HOST)), "host");
    assertEquals(DefinedNames.of(ServerTokens.class), SummaryHandOverTest.names(phase.get(Phase.SERVER_TOKENS)), "server_tokens");
    JsonNode gauges = phase.get(Phase.SERVER_METRICS);
    assertTrue(gauges.size() > 0, "a gauge");
    for (JsonNode g : gauges) assertEquals(DefinedNames.of(ServerGauge.class), SummaryHandOverTest.names(g), "server_metrics gauge");
    for (JsonNode r : phase.get(Phase.SERVER_REPORTED)) {
      assertEquals(List.of(), SummaryHandOverTest.undefined(r, Stats.class), "server_reported figure");
    }
  }

  /** Every record gets connection setup (half on a fresh connection) and one server-reported duration. */
  private static void addConnectionFields(Path run) throws IOException {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String line : Files.readAllLines(FileNames.requests(run))) {
      ObjectNode r = (ObjectNode) JSON.readTree(line);
      boolean fresh = i++ % 2 == 0;
      r.put(RequestFields.REUSED, !fresh);
      if (fresh) {
        r.put(RequestFields.CONNECT_MS, 1.5);
        r.put(RequestFields.TLS_MS, 3.0);
      }
      r.putObject(RequestFields.SERVER).put("queue_time_ms", 2.0);
      out.add(JSON.writeValueAsString(r));
    }
    Files.write(FileNames.requests(run), out);
  }

  /** Host, process and server samples every 500 ms across the known run's window. */
  private static void addHostProcessAndServer(Path run) throws IOException {
    Path hw = FileNames.hardware(run);
    StringBuilder host = new StringBuilder("epoch_ms,cpu_pct,mem_used_mib,mem_total_mib,load1,cpu_energy_uj\n");
    StringBuilder process = new StringBuilder("epoch_ms,pid,cpu_pct,rss_mib,threads\n");
    StringBuilder server = new StringBuilder();
    long from = SummaryHandOverTest.T0_US / 1000 - 500, to = (SummaryHandOverTest.T0_US + SummaryHandOverTest.WINDOW_US) / 1000 + 500;
    for (long ms = from; ms <= to; ms += 500) {
      double s = (ms - from) / 1000.0;
      host.append(ms).append(",25.0,8000,32000,1.0,").append(Math.round(1e9 + 45e6 * s)).append('\n');
      process.append(ms).append(",42,80.0,2048,16\n");
      server.append(String.format(Locale.ROOT, "{\"schema\":1,\"epoch_ms\":%d,\"samples\":["
          + "{\"name\":\"vllm:num_requests_running\",\"labels\":{},\"value\":4},"
          + "{\"name\":\"vllm:generation_tokens_total\",\"labels\":{},\"value\":%s},"
          + "{\"name\":\"vllm:prompt_tokens_total\",\"labels\":{},\"value\":%s}]}%n", ms, 500 * s, 100 * s));
    }
    Files.writeString(hw.resolve(FileNames.HOST_CSV), host);
    Files.writeString(hw.resolve(FileNames.PROCESS_CSV), process);
    Files.writeString(hw.resolve(FileNames.SERVER_METRICS), server);
  }

}
