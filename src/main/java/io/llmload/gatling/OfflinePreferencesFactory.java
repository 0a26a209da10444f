package io.llmload.gatling;

import java.util.HashMap;
import java.util.Map;
import java.util.prefs.AbstractPreferences;
import java.util.prefs.Preferences;
import java.util.prefs.PreferencesFactory;

/**
 * Keeps the Gatling JVM off the network. Gatling 3.15 looks for a newer release on Maven Central
 * at every start unless its Java preferences say it checked recently; this factory (set with
 * {@code -Djava.util.prefs.PreferencesFactory}) answers "checked, no result" from memory, so no
 * connection is opened and nothing is written to the user's preferences.
 */
public final class OfflinePreferencesFactory implements PreferencesFactory {

  private static final Preferences USER = seeded(new MemoryPreferences(null, ""));
  private static final Preferences SYSTEM = new MemoryPreferences(null, "");

  private static Preferences seeded(Preferences root) {
    Preferences gatling = root.node("io/gatling/latestVersion");
    // A check "in the future" stays valid; a failed check makes Gatling skip both the fetch and
    // the "new version available" banner.
    gatling.putLong("lastCheckTimestamp", Long.MAX_VALUE / 4);
    gatling.putBoolean("lastCheckSuccess", false);
    return root;
  }

  @Override
  public Preferences userRoot() {
    return USER;
  }

  @Override
  public Preferences systemRoot() {
    return SYSTEM;
  }

  private static final class MemoryPreferences extends AbstractPreferences {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, MemoryPreferences> children = new HashMap<>();

    MemoryPreferences(MemoryPreferences parent, String name) {
      super(parent, name);
    }

    @Override
    protected void putSpi(String key, String value) {
      values.put(key, value);
    }

    @Override
    protected String getSpi(String key) {
      return values.get(key);
    }

    @Override
    protected void removeSpi(String key) {
      values.remove(key);
    }

    @Override
    protected void removeNodeSpi() {}

    @Override
    protected String[] keysSpi() {
      return values.keySet().toArray(new String[0]);
    }

    @Override
    protected String[] childrenNamesSpi() {
      return children.keySet().toArray(new String[0]);
    }

    @Override
    protected AbstractPreferences childSpi(String name) {
      return children.computeIfAbsent(name, n -> new MemoryPreferences(this, n));
    }

    @Override
    protected void syncSpi() {}

    @Override
    protected void flushSpi() {}
  }
}
