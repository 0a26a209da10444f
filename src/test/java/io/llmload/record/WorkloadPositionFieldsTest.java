package io.llmload.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.dsl.WorkloadPosition;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A request line says which workload record, user and iteration it was, and only when known. */
class WorkloadPositionFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode line(RequestRecord r) throws IOException {
    r.id = "x";
    r.status = "ok";
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      r.write(g);
    }
    return JSON.readTree(out.toString());
  }

  @Test
  void absentWhenTheLoadModelDoesNotIndexItsWorkload() throws IOException {
    JsonNode n = line(new RequestRecord());
    for (String f : new String[] {"workload_record", "global_user", "iteration"}) assertFalse(n.has(f), f);
  }

  @Test
  void openModelArrivalWritesItsRecordOnly() throws IOException {
    WorkloadPosition p = WorkloadPosition.arrival(41);
    RequestRecord r = new RequestRecord();
    r.workloadRecord = p.record();
    r.globalUser = p.user();
    r.iteration = p.iteration();
    JsonNode n = line(r);
    assertEquals(41, n.get("workload_record").asLong());
    assertFalse(n.has("global_user"));
    assertFalse(n.has("iteration"));
  }

  @Test
  void closedModelWritesUserIterationAndRecord() throws IOException {
    // user 2's iteration 3 with maxUsers 5 asks record 3*5+2
    WorkloadPosition p = WorkloadPosition.closed(io.llmload.load.ClosedUsers.recordIndex(2, 3, 5), 2, 3);
    RequestRecord r = new RequestRecord();
    r.user = 900; // Gatling's virtual user: a different number, kept apart
    r.workloadRecord = p.record();
    r.globalUser = p.user();
    r.iteration = p.iteration();
    JsonNode n = line(r);
    assertEquals(17, n.get("workload_record").asLong());
    assertEquals(2, n.get("global_user").asInt());
    assertEquals(3, n.get("iteration").asLong());
    assertEquals(900, n.get("user").asLong());
  }
}
