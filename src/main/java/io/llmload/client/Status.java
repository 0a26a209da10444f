package io.llmload.client;

/** How a request ended; the id is what the request record's {@code status} field holds. */
public enum Status {
  OK("ok"),
  HTTP_ERROR("http_error"),
  TIMEOUT("timeout"),
  STREAM_ERROR("stream_error"),
  TRUNCATED("truncated"),
  CONNECT_ERROR("connect_error"),
  CONNECTION_ERROR("connection_error"),
  CHECK_FAILED("check_failed");

  private final String id;

  Status(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
