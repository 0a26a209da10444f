package io.llmload.collector.host;

import java.util.regex.Pattern;

/** Removes secrets from process command lines before they are recorded: API keys, tokens, passwords. */
public final class Redactor {

  private static final String HIDDEN = "***";

  private static final Pattern OPTION =
      Pattern.compile(
          "(?i)(--?(?:[\\w.]*[-_])?(?:api[-_]?key|key|token|secret|passw(?:or)?d|credentials?|auth))(=|\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");
  private static final Pattern ENV =
      Pattern.compile("(?i)\\b([A-Z0-9_]*(?:API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Z0-9_]*)=(\\S+)");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern KEYLIKE = Pattern.compile("\\b(sk|hf|ghp|gho|xox[bp])[-_][A-Za-z0-9_-]{8,}");
  private static final Pattern URL_USER = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private Redactor() {}

  public static String redact(String commandLine) {
    String s = OPTION.matcher(commandLine).replaceAll("$1$2" + HIDDEN);
    s = ENV.matcher(s).replaceAll("$1=" + HIDDEN);
    s = BEARER.matcher(s).replaceAll("$1 " + HIDDEN);
    s = KEYLIKE.matcher(s).replaceAll(HIDDEN);
    return URL_USER.matcher(s).replaceAll("$1" + HIDDEN + "@");
  }
}
