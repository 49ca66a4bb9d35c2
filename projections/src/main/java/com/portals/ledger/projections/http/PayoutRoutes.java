package com.portals.ledger.projections.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.projections.http.ApiTokens.Role;
import com.portals.ledger.projections.http.LedgerApi.Backend;
import com.portals.ledger.projections.payout.BatchSummaries;
import com.portals.ledger.projections.payout.BatchSummary;
import com.portals.ledger.projections.payout.Pain001;
import com.portals.ledger.projections.payout.Pain002;
import com.portals.ledger.projections.payout.Payment;
import com.portals.ledger.projections.payout.PayoutDesk;
import com.portals.ledger.projections.payout.PayoutRow;
import com.portals.ledger.projections.payout.PayoutRows;
import com.portals.ledger.projections.query.BadRequestException;
import com.portals.ledger.projections.query.Period;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Finance's payout endpoints ({@code /finance/payout-batches...}): making a batch, its bank file
 * (ISO 20022 pain.001) and a CSV of it, the list of batches, and the bank's status report
 * (pain.002) fed back. Every instance answers for the whole ledger: the rows come from every
 * instance's part.
 */
final class PayoutRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LedgerApi api;

  PayoutRoutes(LedgerApi api) {
    this.api = api;
  }

  void routes(JavalinConfig config) {
    config.routes.post("/finance/payout-batches", this::create);
    config.routes.get("/finance/payout-batches", this::list);
    config.routes.get("/finance/payout-batches/{id}", this::batch);
    config.routes.get("/finance/payout-batches/{id}/pain.001", this::pain001);
    config.routes.get("/finance/payout-batches/{id}/payouts.csv", this::csv);
    config.routes.post("/finance/payout-batches/{id}/status", this::status);
    config.routes.get("/internal/finance/payouts", this::local);
    config.routes.get("/internal/finance/payout-batches", this::localBatches);
  }

  // --- POST /finance/payout-batches

  private void create(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    Backend running = api.backend();
    PayoutDesk desk = desk(running);
    Instant now = running.reads().now();
    Instant cutoff = cutoff(ctx.body(), now);
    PayoutDesk.Created created =
        desk.create(
            now,
            cutoff,
            () ->
                api.everyInstance(
                    ctx,
                    running,
                    running.reads().localPayable(),
                    "/internal/finance/payouts?payable=true",
                    PayoutRows.class,
                    PayoutRows::plus));
    ctx.status(201);
    ctx.header("Location", "/finance/payout-batches/" + created.batchId());
    LedgerApi.writeJson(
        ctx,
        json -> {
          json.writeStartObject();
          json.writeStringField("batchId", created.batchId());
          writeIds(
              json,
              "withdrawals",
              created.withdrawals().stream().map(PayoutRow::withdrawalId).toList());
          json.writeNumberField("count", created.withdrawals().size());
          json.writeNumberField("totalCents", created.totalCents());
          json.writeNumberField("payoutCents", created.payoutCents());
          json.writeStringField("cutoff", created.cutoff().toString());
          json.writeStringField("createdAt", created.createdAt().toString());
          json.writeArrayFieldStart("skipped");
          for (PayoutDesk.Skipped skipped : created.skipped()) {
            json.writeStartObject();
            json.writeStringField("withdrawalId", skipped.withdrawalId());
            json.writeStringField("affiliateId", skipped.affiliateId());
            json.writeStringField("reason", skipped.reason());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** The body's {@code cutoff}, or the ledger's now if there is no body or no cutoff. */
  static Instant cutoff(String body, Instant now) {
    if (body == null || body.isBlank()) {
      return now;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException(
          "INVALID_JSON", "the body is not JSON: send {\"cutoff\": INSTANT} or nothing");
    }
    if (tree == null || !tree.isObject()) {
      throw new BadRequestException(
          "INVALID_JSON", "the body must be a JSON object: {\"cutoff\": INSTANT} or nothing");
    }
    JsonNode cutoff = tree.get("cutoff");
    if (cutoff == null || cutoff.isNull()) {
      return now;
    }
    if (!cutoff.isTextual()) {
      throw new BadRequestException(
          "'cutoff' must be an ISO-8601 instant in a string, e.g. \"2026-03-02T00:00:00Z\"");
    }
    return Period.instant("cutoff", cutoff.asText());
  }

  // --- GET /finance/payout-batches

  private void list(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    Backend running = api.backend();
    BatchSummaries batches =
        api.everyInstance(
            ctx,
            running,
            running.reads().localBatches(),
            "/internal/finance/payout-batches",
            BatchSummaries.class,
            BatchSummaries::plus);
    LedgerApi.writeJson(
        ctx,
        json -> {
          json.writeStartArray();
          for (BatchSummary batch : batches.batches()) {
            json.writeStartObject();
            json.writeStringField("batchId", batch.batchId());
            json.writeStringField(
                "createdAt", Instant.ofEpochMilli(batch.createdAtMillis()).toString());
            json.writeNumberField("withdrawals", batch.withdrawals());
            json.writeNumberField("totalCents", batch.totalCents());
            json.writeNumberField("payoutCents", batch.payoutCents());
            json.writeObjectFieldStart("statuses");
            json.writeNumberField("ACCEPTED", batch.open());
            json.writeNumberField("FAILED", batch.failed());
            json.writeNumberField("PAID", batch.paid());
            json.writeEndObject();
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  private void localBatches(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    ctx.json(api.backend().reads().localBatches());
  }

  // --- GET /finance/payout-batches/{id}

  private void batch(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    String batchId = ctx.pathParam("id");
    List<PayoutRow> rows = members(ctx, batchId);
    BatchSummary summary = BatchSummary.of(batchId, rows);
    LedgerApi.writeJson(
        ctx,
        json -> {
          json.writeStartObject();
          json.writeStringField("batchId", summary.batchId());
          json.writeStringField(
              "createdAt", Instant.ofEpochMilli(summary.createdAtMillis()).toString());
          json.writeNumberField("totalCents", summary.totalCents());
          json.writeNumberField("payoutCents", summary.payoutCents());
          json.writeArrayFieldStart("payments");
          for (PayoutRow row : rows) {
            json.writeStartObject();
            json.writeStringField("withdrawalId", row.withdrawalId());
            json.writeStringField("affiliateId", row.affiliateId());
            json.writeStringField("status", row.status());
            json.writeNumberField("amountCents", row.amountCents());
            json.writeNumberField("feeCents", row.feeCents());
            json.writeNumberField("payoutCents", row.payoutCents());
            json.writeStringField("creditorName", row.holder());
            json.writeStringField("iban", row.iban());
            json.writeStringField("bic", row.swift());
            json.writeStringField(
                "decidedAt", Instant.ofEpochMilli(row.decidedAtMillis()).toString());
            json.writeStringField("reason", row.reason());
            json.writeStringField("message", row.message());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  // --- GET /finance/payout-batches/{id}/pain.001

  private void pain001(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    Backend running = api.backend();
    PayoutDesk desk = desk(running);
    String batchId = ctx.pathParam("id");
    List<PayoutRow> rows = members(ctx, batchId);
    Instant createdAt = Instant.ofEpochMilli(BatchSummary.of(batchId, rows).createdAtMillis());
    LocalDate batchDay = LocalDate.ofInstant(createdAt, ZoneOffset.UTC);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate execution = executionDate(ctx.queryParam("executionDate"), batchDay, today);
    byte[] xml;
    try {
      List<Payment> payments = rows.stream().map(PayoutDesk::payment).toList();
      xml = Pain001.write(batchId, createdAt, execution, desk.debtor(), payments);
    } catch (IllegalArgumentException e) {
      // Batches are made of payments the file can carry; this is one the ledger put in directly.
      throw new ApiException(
          409, "BANK_FILE_REFUSED", "no pain.001 for " + batchId + ": " + e.getMessage());
    }
    ctx.header(
        "Content-Disposition", "attachment; filename=\"" + fileName(batchId) + ".pain.001.xml\"");
    ctx.contentType("application/xml; charset=utf-8").result(xml);
  }

  /**
   * The requested execution date: {@code executionDate} if given, else the batch's day, or today if
   * that has passed (a bank refuses a date in the past).
   */
  static LocalDate executionDate(String requested, LocalDate batchDay, LocalDate today) {
    if (requested == null || requested.isBlank()) {
      return batchDay.isBefore(today) ? today : batchDay;
    }
    try {
      return LocalDate.parse(requested.strip());
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "'executionDate'='" + requested + "' is not a date (e.g. 2026-03-02)");
    }
  }

  // --- GET /finance/payout-batches/{id}/payouts.csv

  private void csv(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    String batchId = ctx.pathParam("id");
    List<PayoutRow> rows = members(ctx, batchId);
    LedgerApi.writeCsv(
        ctx,
        fileName(batchId) + ".payouts",
        Views.PAYOUTS_CSV,
        printer -> {
          for (PayoutRow row : rows) {
            Views.payoutCsv(printer, row);
          }
        });
  }

  // --- POST /finance/payout-batches/{id}/status

  private void status(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    Backend running = api.backend();
    PayoutDesk desk = desk(running);
    String batchId = ctx.pathParam("id");
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw new BadRequestException(
          "EMPTY_BODY", "the body is empty: send the bank's pain.002 payment status report");
    }
    Pain002.Report report;
    try {
      report = Pain002.read(body);
    } catch (Pain002.InvalidReport e) {
      throw new BadRequestException("INVALID_STATUS_REPORT", e.getMessage());
    }
    List<PayoutRow> rows = members(ctx, batchId);
    PayoutDesk.Settled settled = desk.settle(batchId, report, rows, running.reads().now());
    LedgerApi.writeJson(
        ctx,
        json -> {
          json.writeStartObject();
          json.writeStringField("batchId", settled.batchId());
          writeIds(json, "completed", settled.completed());
          writeIds(json, "failed", settled.failed());
          writeIds(json, "notFinal", settled.notFinal());
          json.writeEndObject();
        });
  }

  private static void writeIds(JsonGenerator json, String field, List<String> ids)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String id : ids) {
      json.writeString(id);
    }
    json.writeEndArray();
  }

  // --- GET /internal/finance/payouts

  private void local(Context ctx) {
    api.access().require(ctx, Role.FINANCE);
    PayoutRows rows =
        "true".equals(ctx.queryParam("payable"))
            ? api.backend().reads().localPayable()
            : api.backend().reads().localBatched(ctx.queryParam("batch"));
    ctx.json(rows);
  }

  // ---

  /** The withdrawals of batch {@code batchId} (null: of every batch), from every instance. */
  private List<PayoutRow> rows(Context ctx, String batchId) {
    Backend running = api.backend();
    return api.everyInstance(
            ctx,
            running,
            running.reads().localBatched(batchId),
            "/internal/finance/payouts"
                + (batchId == null
                    ? ""
                    : "?batch=" + URLEncoder.encode(batchId, StandardCharsets.UTF_8)),
            PayoutRows.class,
            PayoutRows::plus)
        .rows();
  }

  private List<PayoutRow> members(Context ctx, String batchId) {
    List<PayoutRow> rows = rows(ctx, batchId);
    if (rows.isEmpty()) {
      throw ApiException.notFound(
          "NO_SUCH_BATCH",
          "no payout batch "
              + batchId
              + " (or the ledger has not applied it yet: it does at its next tick)");
    }
    return rows;
  }

  private static PayoutDesk desk(Backend running) {
    if (running.payouts() == null) {
      throw new ApiException(
          503, "PAYOUTS_UNAVAILABLE", "this instance does not run the payout desk");
    }
    return running.payouts();
  }

  /** The batch id as a file name: only the characters a file name can take everywhere. */
  private static String fileName(String batchId) {
    return batchId.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
