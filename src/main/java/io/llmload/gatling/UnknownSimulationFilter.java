package io.llmload.gatling;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.File;
import java.net.URL;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.TreeSet;

/**
 * Turns Gatling's "Run crashed" stack trace for a simulation class that does not exist into one
 * line naming the parameter and the simulations there are, and ends the JVM with status 2. Every
 * other event passes unchanged.
 */
public final class UnknownSimulationFilter extends Filter<ILoggingEvent> {

  @Override
  public FilterReply decide(ILoggingEvent event) {
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null || !event.getLoggerName().startsWith("io.gatling.app.Gatling")) {
      return FilterReply.NEUTRAL;
    }
    if (!"java.lang.ClassNotFoundException".equals(t.getClassName())) {
      return FilterReply.NEUTRAL;
    }
    System.err.println(
        "llm-load-suite: gatling.simulationClass: '" + t.getMessage() + "' is not a simulation; available: "
            + String.join(", ", available()));
    System.err.flush();
    // Gatling rethrows after logging, and the JVM would print the stack trace again: nothing was
    // run, so end here with the same status as any other invalid parameter.
    System.exit(2);
    return FilterReply.DENY;
  }

  private static TreeSet<String> available() {
    TreeSet<String> out = new TreeSet<>();
    try {
      Enumeration<URL> dirs = Thread.currentThread().getContextClassLoader().getResources("io/llmload/simulations");
      while (dirs.hasMoreElements()) {
        URL u = dirs.nextElement();
        if (!"file".equals(u.getProtocol())) continue;
        String[] names = new File(u.toURI()).list();
        if (names == null) continue;
        Arrays.stream(names)
            .filter(n -> n.endsWith(".class") && !n.contains("$"))
            .forEach(n -> out.add("io.llmload.simulations." + n.substring(0, n.length() - 6)));
      }
    } catch (Exception e) {
      // the list is a courtesy; the line still names the parameter
    }
    return out;
  }
}
