package io.llmload.capacity;

/**
 * What the search turns: the width of the gate on in-flight users (concurrency search) or the
 * open model's arrival rate (rate search). Set from the controller's thread, read by the load.
 */
public interface LoadKnob {

  /** The load from now on: users in flight, or arrivals per second. */
  void set(double level);

  /** Requests sent and not yet ended (the backlog of an open model). */
  int inFlight();

  /** Requests started since the load began. */
  long started();

  /**
   * While held, the load sends nothing (an open model skips its arrivals): a failing rate probe's
   * backlog drains before the next probe's own arrivals could queue behind it. A closed model needs
   * no hold (its gate starts nobody while the old requests fill it).
   */
  default void hold(boolean on) {}

  /** The next {@link #set} spreads a rise over this long (a closed model's new users start staggered). */
  default void spread(java.time.Duration over) {}

  /** The search is over: no new request starts; the load ends when those in flight have. */
  void stop();
}
