package com.portals.ledger.projections.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.projections.http.ApiTokens.Grant;
import com.portals.ledger.projections.http.ApiTokens.Role;
import com.portals.ledger.projections.payout.PayoutDesk;
import com.portals.ledger.projections.query.AffiliateRanking;
import com.portals.ledger.projections.query.BadRequestException;
import com.portals.ledger.projections.query.FinanceSummary;
import com.portals.ledger.projections.query.IncomeReport;
import com.portals.ledger.projections.query.OrderQuery;
import com.portals.ledger.projections.query.Period;
import com.portals.ledger.projections.query.QueryRouter;
import com.portals.ledger.projections.query.ReadModel;
import com.portals.ledger.projections.query.ReadModel.BalanceView;
import com.portals.ledger.projections.query.Reconciliation;
import com.portals.ledger.projections.query.RejectionPage;
import com.portals.ledger.projections.query.StoreUnavailableException;
import com.portals.ledger.projections.query.TrafficReport;
import com.portals.ledger.schemas.publish.EventPublisher;
import com.portals.ledger.schemas.publish.EventPublisher.RejectedLine;
import com.portals.ledger.schemas.publish.EventPublisher.Report;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of docs/contract.md "HTTP API". Each affiliate endpoint checks the token, then
 * answers from this instance's stores or forwards to the instance that holds the affiliate; finance
 * totals add up every instance's part. Until the read side runs, and while it rebalances, queries
 * answer 503 with {@code Retry-After} rather than data from the wrong store.
 */
public final class LedgerApi {

  /**
   * What the API reads and writes with, once the ledger has started.
   *
   * @param payouts the payout desk, or null where payout batches are not offered
   */
  public record Backend(
      ReadModel reads, QueryRouter router, EventPublisher publisher, PayoutDesk payouts) {
    public Backend(ReadModel reads, QueryRouter router, EventPublisher publisher) {
      this(reads, router, publisher, null);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(LedgerApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The OpenAPI 3.1 document of this API, served at {@code GET /openapi.json}: every route of
   * {@link #routes} but the {@code /internal/...} ones. OpenApiDocumentTest keeps it and the routes
   * in step, HttpApiIntegrationTest checks real answers against its schemas.
   */
  static final String OPENAPI_RESOURCE = "/openapi.json";

  private static final byte[] OPENAPI = openApiDocument();

  private final Access access;
  private final Supplier<Health> health;
  private volatile Supplier<String> metrics;
  private final ClockPolicy clock;
  private final AtomicReference<Backend> backend = new AtomicReference<>();
  private final Forwarder forwarder = new Forwarder();
  private final PayoutRoutes payouts = new PayoutRoutes(this);

  /** An API of a ledger on the manual clock (no bound on how far a finance tick moves time). */
  public LedgerApi(ApiTokens tokens, Supplier<Health> health) {
    this(tokens, health, ClockPolicy.unbounded(ClockPolicy.Mode.MANUAL));
  }

  /** An API whose {@code POST /events} lets ticks through as {@code clock} says. */
  public LedgerApi(ApiTokens tokens, Supplier<Health> health, ClockPolicy clock) {
    this.access = new Access(tokens);
    this.health = health;
    this.clock = clock;
  }

  /**
   * What {@code GET /metrics} answers: the Prometheus text exposition, produced on each request by
   * {@code scrape}. Until it is set, the route answers 503.
   */
  public void metrics(Supplier<String> scrape) {
    this.metrics = scrape;
  }

  /** Connects the API to the running read side and publisher. */
  public void attach(Backend running) {
    backend.set(running);
  }

  /** Disconnects it: queries answer 503 again (the ledger is stopping). */
  public void detach() {
    backend.set(null);
  }

  void routes(JavalinConfig config) {
    config.routes.get("/health", this::health);
    config.routes.get("/health/ready", this::health);
    config.routes.get("/health/live", this::live);
    config.routes.get("/openapi.json", this::openApi);
    config.routes.get("/metrics", this::metrics);
    config.routes.get("/whoami", this::whoami);
    config.routes.post("/events", this::postEvents);
    config.routes.get("/affiliates/{id}/balance", this::balance);
    config.routes.get("/affiliates/{id}/withdrawals", this::withdrawals);
    config.routes.get("/affiliates/{id}/orders", this::orders);
    config.routes.get("/affiliates/{id}/income", this::income);
    config.routes.get("/affiliates/{id}/traffic", this::traffic);
    config.routes.get("/affiliates/{id}/journal", this::journal);
    config.routes.get("/finance/summary", this::financeSummary);
    config.routes.get("/finance/clock", this::financeClock);
    config.routes.get("/finance/affiliates", this::affiliates);
    config.routes.get("/internal/finance/affiliates", this::localAffiliates);
    config.routes.get("/internal/finance/summary", this::localSummary);
    config.routes.get("/finance/reconciliation", this::reconciliation);
    config.routes.get("/finance/rejections", this::rejections);
    config.routes.get("/internal/finance/rejections", this::localRejections);
    config.routes.get("/internal/finance/reconciliation", this::localReconciliation);
    payouts.routes(config);
    config.routes.exception(
        ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    config.routes.exception(
        BadRequestException.class, (e, ctx) -> error(ctx, 400, e.code(), e.getMessage()));
    config.routes.exception(
        PayoutDesk.Refused.class,
        (e, ctx) -> {
          ObjectNode problem = problem(ctx, e.status(), e.code(), e.getMessage());
          ArrayNode problems = problem.putArray("problems");
          e.problems().forEach(problems::add);
          error(ctx, problem);
        });
    config.routes.exception(
        StoreUnavailableException.class,
        (e, ctx) -> {
          ctx.header("Retry-After", "1");
          error(ctx, 503, UNAVAILABLE, e.getMessage());
        });
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            error(
                ctx,
                e.getStatus(),
                codeOf(e.getStatus()),
                reason(ctx, e.getStatus(), e.getMessage())));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          String incident = UUID.randomUUID().toString();
          log.error("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
          error(
              ctx,
              500,
              INTERNAL_ERROR,
              "internal error (incident " + incident + ", see the server log)");
        });
    // Javalin's own answers for an unknown path or method are plain text; the API speaks JSON.
    for (int status : new int[] {404, 405}) {
      config.routes.error(
          status,
          "*",
          ctx -> {
            String answer = ctx.result();
            if (answer == null || !answer.startsWith("{")) {
              error(ctx, status, codeOf(status), reason(ctx, status, answer));
            }
          });
    }
  }

  /** Codes of the API's own refusals (the others come with their exceptions). */
  static final String UNAVAILABLE = "UNAVAILABLE";

  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  /** The code of one of Javalin's own refusals. */
  private static String codeOf(int status) {
    return switch (status) {
      case 404 -> "NO_SUCH_ENDPOINT";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> "BODY_TOO_LARGE";
      default -> status >= 500 ? INTERNAL_ERROR : "HTTP_" + status;
    };
  }

  /** The reason for one of Javalin's own refusals, in the API's words where they help. */
  private static String reason(Context ctx, int status, String javalins) {
    return switch (status) {
      case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
      case 405 -> ctx.method() + " is not allowed on " + ctx.path();
      case 413 ->
          "the body is larger than "
              + LedgerHttpServer.MAX_REQUEST_BYTES / (1024 * 1024)
              + " MiB: send the lines in several requests";
      default -> javalins == null || javalins.isBlank() ? "HTTP status " + status : javalins;
    };
  }

  /**
   * An error as problem details (RFC 9457, {@code application/problem+json}): {@code type} {@code
   * about:blank} with the status' own {@code title}, the reason in {@code detail}, the path in
   * {@code instance}, and two members of the API's own: {@code code}, machine-readable, and {@code
   * error}, the reason again (the field every error body has carried).
   */
  private static void error(Context ctx, int status, String code, String message) {
    error(ctx, problem(ctx, status, code, message));
  }

  private static ObjectNode problem(Context ctx, int status, String code, String message) {
    return JSON.createObjectNode()
        .put("type", "about:blank")
        .put("title", HttpStatus.forStatus(status).getMessage())
        .put("status", status)
        .put("detail", message)
        .put("instance", ctx.path())
        .put("code", code)
        .put("error", message);
  }

  private static void error(Context ctx, ObjectNode problem) {
    int status = problem.path("status").asInt();
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(status).contentType(PROBLEM_JSON).result(problem.toString());
  }

  static final String PROBLEM_JSON = "application/problem+json";

  Access access() {
    return access;
  }

  Backend backend() {
    Backend running = backend.get();
    if (running == null) {
      throw new StoreUnavailableException("the ledger is starting");
    }
    return running;
  }

  // --- GET /metrics

  /** The metrics in Prometheus' text format, for a finance or a metrics token. */
  private void metrics(Context ctx) {
    access.require(ctx, Role.FINANCE, Role.METRICS);
    Supplier<String> scrape = metrics;
    if (scrape == null) {
      throw new StoreUnavailableException("metrics are not ready yet: the ledger is starting");
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get());
  }

  // --- GET /whoami

  /** What the request's token may do: its role, and for an affiliate token whose it is. */
  private void whoami(Context ctx) {
    Grant grant = access.authenticate(ctx);
    writeJson(
        ctx,
        json -> {
          json.writeStartObject();
          json.writeStringField("role", grant.role().name().toLowerCase(Locale.ROOT));
          json.writeStringField("affiliateId", grant.affiliateId());
          json.writeEndObject();
        });
  }

  // --- GET /health

  /**
   * Readiness: 200 while the ledger applies events and can answer queries, else 503 naming what is
   * not ready. {@code GET /health} answers the same.
   */
  private void health(Context ctx) {
    Health current = health.get();
    ObjectNode body = JSON.createObjectNode().put("status", current.up() ? "UP" : "DOWN");
    current.details().forEach(body::putPOJO);
    if (!current.up()) {
      body.put(
          "error",
          current.notReady().isEmpty()
              ? "the ledger is not ready"
              : "not ready: " + String.join("; ", current.notReady()));
    }
    ctx.status(current.up() ? 200 : 503).json(body);
  }

  /** Liveness: the process serves HTTP, whatever the state of the ledger. */
  private void live(Context ctx) {
    ctx.json(JSON.createObjectNode().put("status", "UP"));
  }

  // --- GET /openapi.json

  /** The OpenAPI document of this API, to anyone (like the health checks, without a token). */
  private void openApi(Context ctx) {
    ctx.contentType("application/json").result(OPENAPI);
  }

  private static byte[] openApiDocument() {
    try (InputStream in = LedgerApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- POST /events

  private void postEvents(Context ctx) {
    Grant grant = access.require(ctx, Role.INGEST, Role.FINANCE);
    String body = ctx.body();
    if (body.isBlank()) {
      throw new BadRequestException(
          "EMPTY_BODY", "the body is empty: send JSON lines of docs/contract.md events");
    }
    List<String> lines = body.lines().toList();
    ClockPolicy.Posting posting = clock.posting(grant);
    Report report = backend().publisher().publish(lines, posting);
    posting.published(report);
    ObjectNode answer =
        report.allAccepted()
            ? JSON.createObjectNode()
            : problem(
                ctx,
                400,
                "EVENTS_REJECTED",
                report.rejected().size() + " of " + lines.size() + " lines rejected");
    answer.put("accepted", report.accepted());
    ArrayNode rejected = answer.putArray("rejected");
    for (RejectedLine line : report.rejected()) {
      rejected.addObject().put("line", line.line()).put("reason", line.reason());
    }
    if (report.allAccepted()) {
      ctx.json(answer);
    } else {
      error(ctx, answer);
    }
  }

  // --- affiliate endpoints

  /**
   * The stores to answer from if this instance holds the affiliate; empty once the request was
   * forwarded to the instance that does (and answered from there). Access is checked before.
   */
  private Optional<ReadModel> local(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    Backend running = backend();
    Optional<HostInfo> owner = running.router().remoteOwner(affiliateId);
    if (owner.isPresent()) {
      forwarder.forward(ctx, owner.get());
      return Optional.empty();
    }
    return Optional.of(running.reads());
  }

  private void balance(Context ctx) {
    access.requireAffiliate(ctx, ctx.pathParam("id"));
    Instant asOf = instantParam(ctx, "asOf");
    Optional<ReadModel> reads = local(ctx);
    if (reads.isEmpty()) {
      return;
    }
    String affiliateId = ctx.pathParam("id");
    if (!reads.get().hasAccount(affiliateId)) {
      throw ApiException.notFound("NO_ACCOUNT", "affiliate " + affiliateId + " has no account");
    }
    BalanceView view =
        reads
            .get()
            .balance(affiliateId, asOf)
            .orElse(new BalanceView(affiliateId, 0, 0, 0, 0, 0, null, null, 0));
    writeTaggedJson(ctx, json -> Views.balance(json, view, asOf));
  }

  private void withdrawals(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    access.requireAffiliate(ctx, affiliateId);
    boolean csv = csv(ctx);
    Paging page = Paging.of(ctx, 'w', ReadModel.keysOf(affiliateId), csv);
    Optional<ReadModel> reads = local(ctx);
    if (reads.isPresent()) {
      list(
          ctx,
          csv,
          page,
          (after, visitor) -> reads.get().withdrawals(affiliateId, after, visitor),
          row -> true,
          Views::withdrawal,
          new CsvList<>("withdrawals-" + affiliateId, Views.WITHDRAWAL_CSV, Views::withdrawalCsv));
    }
  }

  private void orders(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    access.requireAffiliate(ctx, affiliateId);
    OrderQuery query =
        OrderQuery.parse(
            ctx.queryParam("from"),
            ctx.queryParam("to"),
            ctx.queryParam("dateType"),
            ctx.queryParam("trackingId"),
            ctx.queryParam("promotionType"),
            ctx.queryParam("status"));
    boolean csv = csv(ctx);
    Paging page = Paging.of(ctx, 'o', ReadModel.keysOf(affiliateId), csv);
    Optional<ReadModel> reads = local(ctx);
    if (reads.isEmpty()) {
      return;
    }
    Period scan = query.scanPeriod();
    list(
        ctx,
        csv,
        page,
        (after, visitor) ->
            reads.get().ordersPlaced(affiliateId, scan.from(), scan.to(), after, visitor),
        query::matches,
        Views::order,
        new CsvList<>("orders-" + affiliateId, Views.ORDER_CSV, Views::orderCsv));
  }

  private void income(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    access.requireAffiliate(ctx, affiliateId);
    Period period = Period.parse(ctx.queryParam("from"), ctx.queryParam("to"));
    IncomeReport report =
        new IncomeReport(IncomeReport.Granularity.parse(ctx.queryParam("granularity")));
    boolean csv = csv(ctx);
    Paging page = Paging.of(ctx, 'i', null, csv);
    Optional<ReadModel> reads = local(ctx);
    if (reads.isEmpty()) {
      return;
    }
    reads.get().journalBetween(affiliateId, period.from(), period.to(), report::add);
    rows(
        ctx,
        csv,
        page.of(ctx, report.rows(), IncomeReport.Row::period),
        Views::income,
        new CsvList<>("income-" + affiliateId, Views.INCOME_CSV, Views::incomeCsv));
  }

  private void traffic(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    access.requireAffiliate(ctx, affiliateId);
    Period period = Period.parse(ctx.queryParam("from"), ctx.queryParam("to"));
    TrafficReport report = new TrafficReport(TrafficReport.field(ctx.queryParam("groupBy")));
    boolean csv = csv(ctx);
    Paging page = Paging.of(ctx, 't', null, csv);
    Optional<ReadModel> reads = local(ctx);
    if (reads.isEmpty()) {
      return;
    }
    reads.get().clicks(affiliateId, period.from(), period.to(), report::addClick);
    reads.get().ordersPlaced(affiliateId, period.from(), period.to(), report::addOrder);
    rows(
        ctx,
        csv,
        page.of(ctx, report.rows(), TrafficReport.Row::group),
        Views::traffic,
        new CsvList<>("traffic-" + affiliateId, Views.TRAFFIC_CSV, Views::trafficCsv));
  }

  private void journal(Context ctx) {
    String affiliateId = ctx.pathParam("id");
    access.requireAffiliate(ctx, affiliateId);
    boolean csv = csv(ctx);
    Paging page = Paging.of(ctx, 'j', ReadModel.keysOf(affiliateId), csv);
    Optional<ReadModel> reads = local(ctx);
    if (reads.isPresent()) {
      list(
          ctx,
          csv,
          page,
          (after, visitor) -> reads.get().journal(affiliateId, after, visitor),
          entry -> true,
          Views::journalEntry,
          new CsvList<>("journal-" + affiliateId, Views.JOURNAL_CSV, Views::journalCsv));
    }
  }

  // --- lists: a page at a time, as JSON or CSV

  /** How a list is written as CSV: the download's name, the header, one row's records. */
  private record CsvList<V>(String name, CSVFormat format, CsvRow<V> row) {}

  private interface JsonRow<V> {
    void write(JsonGenerator json, V row) throws IOException;
  }

  private interface CsvRow<V> {
    void write(CSVPrinter csv, V row) throws IOException;
  }

  /**
   * Whether the answer is CSV: {@code format=csv}, or no {@code format} and an {@code Accept}
   * header naming {@code text/csv}.
   */
  private static boolean csv(Context ctx) {
    String format = ctx.queryParam("format");
    if (format == null || format.isBlank()) {
      String accept = ctx.header("Accept");
      return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }
    return switch (format.strip()) {
      case "json" -> false;
      case "csv" -> true;
      default -> throw new BadRequestException("'format'='" + format + "' must be json or csv");
    };
  }

  /** A page of a list kept in a store: announced by {@code Link}, then streamed. */
  private static <V> void list(
      Context ctx,
      boolean csv,
      Paging page,
      Paging.Scan<V> scan,
      Predicate<V> matches,
      JsonRow<V> json,
      CsvList<V> csvList) {
    Optional<Bytes> end = page.announce(ctx, scan, matches);
    writeRows(ctx, csv, sink -> page.stream(scan, matches, end, sink), json, csvList);
  }

  /** A page of a report computed in memory. */
  private static <V> void rows(
      Context ctx, boolean csv, List<V> rows, JsonRow<V> json, CsvList<V> csvList) {
    writeRows(ctx, csv, rows::forEach, json, csvList);
  }

  /** The rows {@code source} hands over, as a JSON array or as CSV records. */
  private static <V> void writeRows(
      Context ctx, boolean csv, Consumer<Consumer<V>> source, JsonRow<V> json, CsvList<V> list) {
    if (csv) {
      writeCsv(
          ctx,
          list.name(),
          list.format(),
          printer -> source.accept(row -> write(() -> list.row().write(printer, row))));
    } else {
      writeJsonArray(ctx, out -> source.accept(row -> write(() -> json.write(out, row))));
    }
  }

  interface CsvWriting {
    void write(CSVPrinter csv) throws IOException;
  }

  /** A CSV download, written record by record onto the response. */
  static void writeCsv(Context ctx, String name, CSVFormat format, CsvWriting body) {
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    try (Writer writer = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, format)) {
      body.write(printer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- finance

  private void financeSummary(Context ctx) {
    access.require(ctx, Role.FINANCE);
    boolean full = full(ctx);
    Backend running = backend();
    FinanceSummary sum =
        everyInstance(
            ctx,
            running,
            full ? running.reads().localSummaryFull() : running.reads().localSummary(),
            "/internal/finance/summary" + (full ? "?full=true" : ""),
            FinanceSummary.class,
            FinanceSummary::plus);
    Instant now = running.reads().now();
    if (csv(ctx)) {
      writeCsv(
          ctx,
          "finance-summary",
          Views.SUMMARY_CSV,
          printer -> Views.summaryCsv(printer, sum, now));
      return;
    }
    writeTaggedJson(ctx, json -> Views.summary(json, sum, now));
  }

  /**
   * Whether the request asks for the full check ({@code full=true}: every affiliate read again)
   * rather than the running totals.
   */
  private static boolean full(Context ctx) {
    String full = ctx.queryParam("full");
    if (full == null || full.isBlank() || full.strip().equals("false")) {
      return false;
    }
    if (full.strip().equals("true")) {
      return true;
    }
    throw new BadRequestException("'full'='" + full + "' must be true or false");
  }

  /**
   * The ledger's time (the latest tick the read side has seen), the last tick this instance
   * published for a finance token, and the clock's mode and bound.
   */
  private void financeClock(Context ctx) {
    access.require(ctx, Role.FINANCE);
    Instant now = backend().reads().now();
    writeJson(ctx, json -> Views.clock(json, clock, now));
  }

  /**
   * This instance's part plus every other instance's, fetched from {@code path} on each and added
   * with {@code plus}.
   */
  <T> T everyInstance(
      Context ctx, Backend running, T local, String path, Class<T> type, BinaryOperator<T> plus) {
    T total = local;
    for (HostInfo other : running.router().otherInstances()) {
      try {
        total = plus.apply(total, JSON.readValue(forwarder.get(ctx, other, path), type));
      } catch (IOException e) {
        throw new StoreUnavailableException(
            "instance " + other + " sent an unreadable answer to " + path + ": " + e.getMessage());
      }
    }
    return total;
  }

  private void localSummary(Context ctx) {
    access.require(ctx, Role.FINANCE);
    ReadModel reads = backend().reads();
    ctx.json(full(ctx) ? reads.localSummaryFull() : reads.localSummary());
  }

  private void reconciliation(Context ctx) {
    access.require(ctx, Role.FINANCE);
    Backend running = backend();
    boolean full = full(ctx);
    Reconciliation report =
        everyInstance(
            ctx,
            running,
            full
                ? running.reads().localReconciliationFull()
                : running.reads().localReconciliation(),
            "/internal/finance/reconciliation" + (full ? "?full=true" : ""),
            Reconciliation.class,
            Reconciliation::plus);
    Instant now = running.reads().now();
    if (csv(ctx)) {
      writeCsv(
          ctx,
          "reconciliation",
          Views.RECONCILIATION_CSV,
          printer ->
              report.differences().forEach(d -> write(() -> Views.differenceCsv(printer, d))));
      return;
    }
    writeJson(ctx, json -> Views.reconciliation(json, report, now));
  }

  private void rejections(Context ctx) {
    access.require(ctx, Role.FINANCE);
    boolean csv = csv(ctx);
    Backend running = backend();
    RejectionPage.Query query = rejectionQuery(ctx);
    RejectionPage page =
        everyInstance(
            ctx,
            running,
            running.reads().localRejections(query),
            "/internal/finance/rejections"
                + (ctx.queryString() == null ? "" : "?" + ctx.queryString()),
            RejectionPage.class,
            (a, b) -> a.plus(b, query.limit()));
    if (page.more() && !page.rejections().isEmpty()) {
      Paging.next(
          ctx,
          'r',
          page.rejections()
              .get(page.rejections().size() - 1)
              .position()
              .getBytes(StandardCharsets.UTF_8));
    }
    if (csv) {
      writeCsv(
          ctx,
          "rejections",
          Views.REJECTION_CSV,
          printer ->
              page.rejections().forEach(row -> write(() -> Views.rejectionCsv(printer, row))));
    } else {
      ctx.json(page);
    }
  }

  /** The affiliates of every instance, first by balance or by what they earned. */
  private void affiliates(Context ctx) {
    access.require(ctx, Role.FINANCE);
    Backend running = backend();
    AffiliateRanking.Query query =
        AffiliateRanking.Query.parse(ctx.queryParam("sort"), ctx.queryParam("limit"));
    AffiliateRanking ranking =
        everyInstance(
            ctx,
            running,
            running.reads().localRanking(query),
            "/internal/finance/affiliates"
                + (ctx.queryString() == null ? "" : "?" + ctx.queryString()),
            AffiliateRanking.class,
            (a, b) -> a.plus(b, query));
    writeJsonArray(
        ctx, json -> ranking.rows().forEach(row -> write(() -> Views.ranked(json, row))));
  }

  private void localAffiliates(Context ctx) {
    access.require(ctx, Role.FINANCE);
    ctx.json(
        backend()
            .reads()
            .localRanking(
                AffiliateRanking.Query.parse(ctx.queryParam("sort"), ctx.queryParam("limit"))));
  }

  private void localRejections(Context ctx) {
    access.require(ctx, Role.FINANCE);
    ctx.json(backend().reads().localRejections(rejectionQuery(ctx)));
  }

  private static RejectionPage.Query rejectionQuery(Context ctx) {
    byte[] cursor = Paging.cursor(ctx, 'r');
    return RejectionPage.Query.parse(
        ctx.queryParam("from"),
        ctx.queryParam("to"),
        ctx.queryParam("reasonCode"),
        ctx.queryParam("sourceTopic"),
        ctx.queryParam("limit"),
        cursor == null ? null : new String(cursor, StandardCharsets.UTF_8));
  }

  private void localReconciliation(Context ctx) {
    access.require(ctx, Role.FINANCE);
    ReadModel reads = backend().reads();
    ctx.json(full(ctx) ? reads.localReconciliationFull() : reads.localReconciliation());
  }

  // --- writing

  interface JsonWriting {
    void write(JsonGenerator json) throws IOException;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void write(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeJson(Context ctx, JsonWriting body) {
    ctx.contentType("application/json");
    write(ctx.outputStream(), body);
  }

  /** Writes {@code body} onto {@code out} and closes it. */
  private static void write(OutputStream out, JsonWriting body) {
    try (out;
        JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A small JSON body with a strong {@code ETag} (the first 128 bits of its SHA-256): a client that
   * sends the tag back in {@code If-None-Match} gets 304 and no body while the answer is unchanged.
   * {@code Cache-Control: no-cache} lets caches keep it as long as they ask again each time.
   */
  private static void writeTaggedJson(Context ctx, JsonWriting body) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    write(buffer, body);
    byte[] bytes = buffer.toByteArray();
    String tag = "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"";
    ctx.header("ETag", tag);
    ctx.header("Cache-Control", "no-cache");
    if (matches(ctx.header("If-None-Match"), tag)) {
      ctx.status(304);
      return;
    }
    ctx.contentType("application/json").result(bytes);
  }

  /** Whether an {@code If-None-Match} header names {@code tag} (weakly, as RFC 9110 compares). */
  static boolean matches(String ifNoneMatch, String tag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String trimmed = candidate.strip();
      if (trimmed.equals("*") || trimmed.equals(tag) || trimmed.equals("W/" + tag)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** A JSON array written element by element onto the response, never held in memory whole. */
  private static void writeJsonArray(Context ctx, JsonWriting elements) {
    writeJson(
        ctx,
        json -> {
          json.writeStartArray();
          elements.write(json);
          json.writeEndArray();
        });
  }

  private static Instant instantParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : Period.instant(name, value);
  }
}
