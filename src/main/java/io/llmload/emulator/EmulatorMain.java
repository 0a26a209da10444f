package io.llmload.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs an emulator until killed:
 * {@code java -cp ... io.llmload.emulator.EmulatorMain --profile h100-llamacpp-8b --port 8000}.
 * Every {@link Param} is also an option ({@code --maxBatch 8}).
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    // Netty logs through JUL (INFO) here, not through the classpath's SLF4J at DEBUG.
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    EmulatorConfig cfg;
    try {
      cfg = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("emulator: " + e.getMessage());
      System.err.println("try --help");
      System.exit(2);
      return;
    }
    if (cfg == null) {
      System.out.print(help());
      return;
    }
    Emulator e = Emulator.start(cfg);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      e.close();
      stop.countDown();
    }, "emulator-shutdown"));
    System.out.println("emulator (synthetic) profile " + cfg.profile() + ", seed " + cfg.seed() + ", jitter " + cfg.jitter()
        + " listening on " + e.baseUrl());
    System.out.flush();
    stop.await();
  }

  /** Parses the command line; null means help was asked for. */
  static EmulatorConfig parse(String[] args) {
    EmulatorConfig c = EmulatorConfig.defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("'" + a + "': expected an option starting with --");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + ": missing value");
        }
        value = args[++i];
      }
      String key = name.equals("ground-truth") ? "groundTruthFile" : name;
      c = c.set(a.contains("=") ? a.substring(0, a.indexOf('=')) : a, key, value);
    }
    c.check("--");
    return c;
  }

  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("LLM Load Suite emulator: a synthetic LLM inference server on loopback.\n\n");
    b.append("  --port N             port, 0 for a free one (default 0)\n");
    b.append("  --host ADDR          address to bind (default 127.0.0.1)\n");
    b.append("  --profile NAME       ").append(Profiles.names()).append(" (default ").append(Profiles.DEFAULT).append(")\n");
    b.append("  --seed N             seeds token text and timing noise (default 1)\n");
    b.append("  --jitter X           0..1, multiplicative timing noise (default 0)\n");
    b.append("  --model NAME         model name to report (default emulated-llm)\n");
    b.append("  --ground-truth FILE  append one JSON line of ground truth per request\n");
    for (Param p : Param.values()) {
      b.append(String.format(java.util.Locale.ROOT, "  --%-19s %s (%s)%n", p.id() + " V", p.meaning(), p.allowed()));
    }
    b.append("  --help               this text\n");
    return b.toString();
  }
}
