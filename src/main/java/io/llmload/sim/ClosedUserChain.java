package io.llmload.sim;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitHereIf;

import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.llmload.dsl.WorkloadPosition;
import io.llmload.load.ClosedUsers;
import io.llmload.load.IndexedRecords;
import io.llmload.load.Shards;
import io.llmload.workload.Workload;
import java.util.HashMap;
import java.util.Map;

/**
 * A closed-model user's chain: take a user slot ({@link ClosedUsers}), put the workload record of
 * its (user, iteration) in the session, run the step, give the slot back. The session also carries
 * {@code user} (global, 0 to maxUsers-1) and {@code iteration}.
 */
final class ClosedUserChain {
  static final String TURN = "llmload.closedTurn";
  private static final String ENDED = "llmload.workloadEnded";

  private ClosedUserChain() {}

  static ChainBuilder of(Shards shards, Workload workload, int maxUsers, ActionBuilder step) {
    ClosedUsers users = new ClosedUsers(shards, maxUsers);
    IndexedRecords<Map<String, Object>> records = new IndexedRecords<>(workload.feeder(), users::owns);
    return exec(session -> take(session, users, records))
        .exec(exitHereIf(s -> s.contains(ENDED)))
        .exec(step)
        .exec(session -> {
          users.release(session.get(TURN));
          return session.remove(TURN).remove(WorkloadPosition.KEY);
        });
  }

  private static Session take(Session session, ClosedUsers users, IndexedRecords<Map<String, Object>> records) {
    ClosedUsers.Turn t = users.take();
    Map<String, Object> r = records.get(t.record());
    if (r == null) {
      users.release(t);
      return session.set(ENDED, true);
    }
    Map<String, Object> attrs = new HashMap<>();
    r.forEach((k, v) -> {
      if (v != null) attrs.put(k, v); // an absent attribute is how a missing field reads
    });
    attrs.put("user", t.user());
    attrs.put("iteration", t.iteration());
    attrs.put(TURN, t);
    attrs.put(WorkloadPosition.KEY, WorkloadPosition.closed(t.record(), t.user(), t.iteration()));
    return session.setAll(attrs);
  }
}
