package io.llmload.workload;

import io.llmload.config.Params;
import io.llmload.wire.Protocol;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one feeder record, which a virtual user pays before its request is sent (so it adds to
 * the queue delay in an open model). Run: {@code mvn -B -q -Pjmh test-compile exec:exec
 * -Djmh.args="WorkloadFeederBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class WorkloadFeederBenchmark {
  /** workload properties, space-separated key=value. */
  @Param({
    "workload=fixed",
    "workload=synthetic input=fixed:128",
    "workload=synthetic input=fixed:1024",
    "workload=synthetic input=fixed:8192",
    "workload=synthetic input=lognormal:6,0.8 output=normal:256,64",
    "workload=multiturn turns=5 input=fixed:200 output=fixed:200",
  })
  public String workload;

  private Iterator<Map<String, Object>> feeder;

  @Setup
  public void setUp() {
    Properties p = new Properties();
    for (String kv : workload.split(" ")) {
      int eq = kv.indexOf('=');
      p.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
    }
    WorkloadContext ctx = new WorkloadContext(null, Protocol.OPENAI_CHAT, null, "Hello there", 128, null, true);
    feeder = Workloads.fromParams(new Params(p), ctx).feeder();
  }

  @Benchmark
  public Map<String, Object> next() {
    return feeder.next();
  }
}
