package com.portals.ledger.projections.http;

import com.portals.ledger.projections.query.StoreUnavailableException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the ledger, the one that holds an affiliate, the request this instance
 * received, and passes its answer through (status, content type, body as a stream). The caller's
 * token goes along: every instance checks it itself. A forwarded request is marked, and an instance
 * that receives one never forwards it again: if ownership moved meanwhile, it answers 503.
 */
final class Forwarder {

  static final String FORWARDED_HEADER = "X-Ledger-Forwarded";

  /** What a forwarded request keeps of the client's (the token, and what shapes the answer). */
  private static final List<String> REQUEST_HEADERS =
      List.of("Authorization", "Accept", "If-None-Match");

  /** What the client gets back of the answering instance's headers, besides the content type. */
  private static final List<String> RESPONSE_HEADERS =
      List.of(
          "Retry-After",
          "Link",
          "ETag",
          "Cache-Control",
          "Content-Disposition",
          "WWW-Authenticate");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static boolean isForwarded(Context ctx) {
    return ctx.header(FORWARDED_HEADER) != null;
  }

  void forward(Context ctx, HostInfo owner) {
    if (isForwarded(ctx)) {
      throw new StoreUnavailableException("affiliate data is moving between instances");
    }
    String query = ctx.queryString();
    URI uri =
        URI.create(
            "http://"
                + owner.host()
                + ":"
                + owner.port()
                + ctx.path()
                + (query == null ? "" : "?" + query));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header(FORWARDED_HEADER, "true");
    for (String name : REQUEST_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    try {
      HttpResponse<InputStream> response =
          http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      ctx.status(response.statusCode());
      response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
      for (String name : RESPONSE_HEADERS) {
        response.headers().firstValue(name).ifPresent(value -> ctx.header(name, value));
      }
      ctx.result(response.body());
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "instance "
              + owner.host()
              + ":"
              + owner.port()
              + " holding this affiliate did not answer: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "interrupted asking " + owner.host() + ":" + owner.port(), e);
    }
  }

  /** GET {@code path} on {@code instance} with the caller's token; the body, if it answered 200. */
  String get(Context ctx, HostInfo instance, String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://" + instance.host() + ":" + instance.port() + path))
            .timeout(Duration.ofSeconds(30))
            .header(FORWARDED_HEADER, "true");
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new StoreUnavailableException(
            "instance "
                + instance.host()
                + ":"
                + instance.port()
                + " answered "
                + response.statusCode()
                + " to "
                + path);
      }
      return response.body();
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "instance "
              + instance.host()
              + ":"
              + instance.port()
              + " did not answer: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "interrupted asking " + instance.host() + ":" + instance.port(), e);
    }
  }
}
