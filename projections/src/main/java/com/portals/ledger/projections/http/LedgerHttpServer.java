package com.portals.ledger.projections.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The ledger's HTTP API (docs/contract.md "HTTP API", see {@link LedgerApi}) on Javalin. {@code GET
 * /health/ready} and {@code GET /health} answer 200 with {@code {"status":"UP", ...}} while both
 * Kafka Streams clients run and 503 with {@code {"status":"DOWN", ..., "error": ...}} otherwise;
 * {@code GET /health/live} answers 200 while the process serves. They and {@code GET /openapi.json}
 * (the OpenAPI document of the API) are the only endpoints without a token.
 */
public final class LedgerHttpServer implements AutoCloseable {

  /** Largest request body accepted ({@code POST /events}). */
  public static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

  private final Javalin app;

  private LedgerHttpServer(Javalin app) {
    this.app = app;
  }

  /** Starts the server on {@code host}:{@code port} ({@code port} 0 picks a free port). */
  public static LedgerHttpServer start(String host, int port, LedgerApi api) {
    return start(host, port, api, null);
  }

  /**
   * The same, each answered request also written to {@code accessLog} (null: none) as one line:
   * client address, method, path and query, status, milliseconds. Headers, the token among them,
   * are never written.
   */
  public static LedgerHttpServer start(
      String host, int port, LedgerApi api, Consumer<String> accessLog) {
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.http.prefer405over404 = true;
              api.routes(config);
              // The dashboard: its page at / (the API's routes come first), uPlot from its WebJar.
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/dashboard";
                    files.location = Location.CLASSPATH;
                  });
              config.staticFiles.enableWebjars();
              if (accessLog != null) {
                config.requestLogger.http((ctx, ms) -> accessLog.accept(accessLine(ctx, ms)));
              }
            });
    app.start();
    return new LedgerHttpServer(app);
  }

  /** One line of the access log: never a header, so never a token. */
  static String accessLine(Context ctx, Float ms) {
    String query = ctx.queryString();
    return String.format(
        Locale.ROOT,
        "%s \"%s %s%s\" %d %.1f ms",
        ctx.ip(),
        ctx.method(),
        ctx.path(),
        query == null ? "" : "?" + query,
        ctx.statusCode(),
        ms == null ? 0f : ms);
  }

  /**
   * Every route the server answers, as method and path ({@code GET /affiliates/{id}/balance}), in
   * the order they were registered: what the OpenAPI document must describe.
   */
  List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(route -> route.endpoint.method.name() + " " + route.endpoint.path)
        .toList();
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
