package com.portals.ledger.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Requests to a ledger's HTTP API on this machine, as a client sends them (a bearer token or none),
 * and waiting for a condition on its answers.
 */
public final class ApiClient {

  private final HttpClient http = HttpClient.newHttpClient();
  private final IntSupplier port;

  /** A client of the API listening on {@code port} of 127.0.0.1 (asked at each request). */
  public ApiClient(IntSupplier port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path, String token) throws Exception {
    return send(request(path, token).GET());
  }

  public HttpResponse<String> post(String path, String token, String body) throws Exception {
    return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A request to {@code path}, with {@code token} unless it is null, to finish and send. */
  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Something to wait for. */
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits up to two minutes for {@code condition}, else fails naming {@code what}. */
  public static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
