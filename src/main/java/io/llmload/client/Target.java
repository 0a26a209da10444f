package io.llmload.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A parsed endpoint base URL: scheme, host, port, an optional base path and an optional query.
 *
 * <p>The base path is joined to each endpoint path without repeating what they share: a target
 * {@code http://host:8000/v1} and the endpoint {@code /v1/chat/completions} give
 * {@code /v1/chat/completions}, a gateway {@code /llm/v1} gives {@code /llm/v1/chat/completions}, and
 * a target that already names the endpoint is used as it is. Azure OpenAI's deployment paths
 * ({@code /openai/deployments/<name>}) carry no {@code /v1}. The query (Azure's {@code api-version})
 * is sent with every request and never written to the run folder.
 */
public record Target(String scheme, String host, int port, String basePath, String query) {

  /**
   * Parses {@code http://host:port[/base][?query]} or {@code https://...}.
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
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    return new Target(scheme, uri.getHost(), port, path, query);
  }

  public boolean tls() {
    return scheme.equals("https");
  }

  /** The URL without user info, query or fragment: safe to write into a run folder. */
  public String url() {
    return scheme + "://" + hostForUrl() + ":" + port + basePath;
  }

  /**
   * {@link #url()} and the query with every value but {@code api-version} masked: what a run folder
   * may say of a target whose query can carry a key or a signature.
   */
  public String urlForRecord() {
    if (query.isEmpty()) return url();
    StringBuilder b = new StringBuilder(url()).append('?');
    String[] pairs = query.split("&");
    for (int i = 0; i < pairs.length; i++) {
      int eq = pairs[i].indexOf('=');
      String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
      if (i > 0) b.append('&');
      b.append(name);
      if (eq >= 0) b.append('=').append(name.equals("api-version") ? pairs[i].substring(eq + 1) : "***");
    }
    return b.toString();
  }

  /** The URL to hand to another builder: {@link #url()} plus the query. Not for logs or files. */
  public String urlWithQuery() {
    return query.isEmpty() ? url() : url() + "?" + query;
  }

  /** {@code scheme://host:port}, for clients that take absolute URIs. */
  public String origin() {
    return scheme + "://" + hostForUrl() + ":" + port;
  }

  /**
   * The request target (path and query) for an endpoint path such as {@code /v1/chat/completions}:
   * the base path joined to it without repeating their common segments, and the query appended.
   */
  public String requestUri(String endpointPath) {
    List<String> base = segments(basePath);
    List<String> end = new ArrayList<>(segments(endpointPath));
    if (azureDeployment(base) && !end.isEmpty() && end.get(0).equals("v1")) {
      end.remove(0);
    }
    int overlap = 0;
    for (int k = Math.min(base.size(), end.size()); k > 0; k--) {
      if (base.subList(base.size() - k, base.size()).equals(end.subList(0, k))) {
        overlap = k;
        break;
      }
    }
    StringBuilder p = new StringBuilder(basePath);
    for (String s : end.subList(overlap, end.size())) p.append('/').append(s);
    if (p.isEmpty()) p.append('/');
    if (!query.isEmpty()) {
      p.append(endpointPath.indexOf('?') >= 0 ? '&' : '?').append(query);
    }
    return p.toString();
  }

  private static boolean azureDeployment(List<String> base) {
    for (int i = 0; i + 1 < base.size(); i++) {
      if (base.get(i).equals("openai") && base.get(i + 1).equals("deployments")) return true;
    }
    return false;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : Arrays.asList(path.split("/"))) if (!s.isEmpty()) out.add(s);
    return out;
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
