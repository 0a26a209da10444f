package io.llmload.sim;

import io.llmload.client.Target;
import io.llmload.config.Params;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.wire.StreamCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the run sends to: the embedded emulator (no {@code -Dtarget}) or a remote server, what that
 * server said of itself, and the model (given, or the server's first).
 */
final class RunTarget implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunTarget.class);

  final Target target;
  final @Nullable Emulator emulator;
  final Map<String, Object> server;
  final @Nullable String model;

  private RunTarget(Target target, @Nullable Emulator emulator, Map<String, Object> server, @Nullable String model) {
    this.target = target;
    this.emulator = emulator;
    this.server = server;
    this.model = model;
  }

  /** Starts the emulator when no target is given, then asks the target who it is; fails in one line. */
  static RunTarget open(Params params, RunSettings settings) {
    String targetUrl = params.string("target");
    Emulator emulator;
    Target target;
    if (targetUrl == null) {
      EmulatorConfig ec;
      try {
        ec = EmulatorConfig.fromSystemProperties();
      } catch (IllegalArgumentException e) {
        throw params.invalid(e.getMessage());
      }
      try {
        emulator = Emulator.start(ec);
      } catch (RuntimeException e) {
        throw params.invalid("emulator: could not start (" + e.getMessage() + ")");
      }
      target = Target.parse(emulator.baseUrl());
    } else {
      emulator = null;
      target = params.parsed("target", Target::parse);
      params.note("target", target.urlForRecord());
    }
    Map<String, Object> server;
    try {
      server = ServerIdentity.fetch(target, StreamCodec.of(settings.protocol).identityPaths(), settings.auth(), settings.insecure);
    } catch (ServerIdentity.Unreachable e) {
      close(emulator);
      throw params.invalid(e.getMessage());
    }
    String m = params.string("model");
    if (m == null) {
      m = ServerIdentity.firstModel(server);
      if (m != null) params.note("model", m);
    }
    return new RunTarget(target, emulator, server, m);
  }

  /** run.json's {@code emulator}: null against a real target. */
  @Nullable Map<String, Object> emulatorInfo() {
    if (emulator == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    EmulatorConfig c = emulator.config();
    m.put("profile", c.profile());
    m.put("seed", c.seed());
    m.put("jitter", c.jitter());
    m.put("synthetic", true);
    return m;
  }

  @Override
  public void close() {
    close(emulator);
  }

  private static void close(@Nullable Emulator emulator) {
    if (emulator != null) {
      try {
        emulator.close();
      } catch (RuntimeException e) {
        LOG.warn("emulator close: {}", e.toString());
      }
    }
  }
}
