package io.llmload.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A parsed endpoint base URL: scheme, host, port and an optional base path. */
public record Target(String scheme, String host, int port, String basePath) {

  /**
   * Parses {@code http://host:port[/base]} or {@code https://...}.
   *
   * @throws IllegalArgumentException with a one-line message naming {@code target}
   */
  public static Target parse(String url) {
    String allowed = "an http:// or https:// URL such as http://gpu-box:8000";
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("target: empty; expected " + allowed);
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("target: '" + url + "' is not " + allowed);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("target: '" + url + "' is not " + allowed);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("target: '" + url + "' has no host; expected " + allowed);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Target(scheme, uri.getHost(), port, path);
  }

  public boolean tls() {
    return scheme.equals("https");
  }

  /** The URL without user info, query or fragment: safe to write into a run folder. */
  public String url() {
    return scheme + "://" + hostForUrl() + ":" + port + basePath;
  }

  /** The Host header value. */
  public String authority() {
    boolean defaultPort = (tls() && port == 443) || (!tls() && port == 80);
    return defaultPort ? hostForUrl() : hostForUrl() + ":" + port;
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** True for loopback hosts, where an in-process hardware collector sees the server's machine. */
  public boolean loopback() {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }
}
