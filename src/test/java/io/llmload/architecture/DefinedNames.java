package io.llmload.architecture;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.TreeSet;

/** The names a definition class spells: its public static String constants. */
public final class DefinedNames {
  private DefinedNames() {}

  public static TreeSet<String> of(Class<?> definition) {
    TreeSet<String> out = new TreeSet<>();
    for (Field f : definition.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (f.getType() == String.class && Modifier.isStatic(mod) && Modifier.isPublic(mod)) {
        try {
          out.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }
}
