package com.portals.ledger.projections.http;

import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ledger's HTTP API (CONTRACT.md "HTTP API"), on Javalin.
 *
 * <p>{@code GET /health} answers 200 with {@code {"status":"UP", ...}} once the ledger runs and 503
 * with {@code {"status":"DOWN", ...}} before that or after a component failed. It is the only
 * endpoint without a token.
 */
public final class LedgerHttpServer implements AutoCloseable {

  private final Javalin app;

  private LedgerHttpServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server on {@code host}:{@code port} ({@code port} 0 picks a free port).
   *
   * @param health asked on every {@code GET /health}
   */
  public static LedgerHttpServer start(String host, int port, Supplier<Health> health) {
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.host = host;
              config.jetty.port = port;
              config.routes.get(
                  "/health",
                  ctx -> {
                    Health current = health.get();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", current.up() ? "UP" : "DOWN");
                    body.putAll(current.details());
                    ctx.status(current.up() ? 200 : 503).json(body);
                  });
            });
    app.start();
    return new LedgerHttpServer(app);
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
