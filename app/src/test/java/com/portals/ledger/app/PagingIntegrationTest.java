package com.portals.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.BufferedWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An affiliate with 100,000 orders, walked page by page through {@code Link} headers while events
 * keep arriving: new orders after the last, completions of orders already listed (their status
 * changes, their place does not), and ticks. Every order that existed when the first page was read
 * comes exactly once, no order comes twice, and every page is in order.
 */
@Timeout(600)
class PagingIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final String AFFILIATE = "aff-big";
  private static final int SESSIONS = 1_000;
  private static final int ORDERS_PER_SESSION = 100;
  private static final int ORDERS = SESSIONS * ORDERS_PER_SESSION;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("^<([^>]+)>; rel=\"next\"$");

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  @Test
  void shouldGiveEveryOrderOnceWhenWalkingAHundredThousandPageByPageWhileEventsArrive()
      throws Exception {
    try (LedgerRuntime ledger =
        TestLedgers.manual(dir.resolve("run"), kafka.bootstrapServers(), 3, FINANCE + " finance")) {
      ApiClient api = new ApiClient(ledger::httpPort);
      Path history = history();
      long publishing = System.nanoTime();
      TestLedgers.Cli published =
          TestLedgers.cliOn(kafka.bootstrapServers(), List.of("publish", history.toString()));
      assertThat(published.exit()).as(published.err()).isZero();
      awaitEntries(api, ORDERS);
      System.out.printf(
          "history of %,d events published, applied and folded by the read side in %.1f s%n",
          ORDERS + SESSIONS + 1, (System.nanoTime() - publishing) / 1e9);

      AtomicBoolean walking = new AtomicBoolean(true);
      AtomicInteger postedDuringWalk = new AtomicInteger();
      AtomicReference<Throwable> writerFailed = new AtomicReference<>();
      Thread writer =
          new Thread(() -> keepWriting(api, walking, postedDuringWalk, writerFailed), "writer");

      List<String> walked = new ArrayList<>();
      int pages = 0;
      String next = "/affiliates/" + AFFILIATE + "/orders?limit=1000";
      while (next != null) {
        HttpResponse<String> page = api.get(next, FINANCE);
        assertThat(page.statusCode()).as(next + ": " + page.body()).isEqualTo(200);
        JsonNode rows = JSON.readTree(page.body());
        assertThat(rows.size()).as(next).isBetween(1, 1000 + 100);
        String previousDate = null;
        for (JsonNode row : rows) {
          String date = row.path("orderDate").asText();
          assertThat(previousDate == null || previousDate.compareTo(date) <= 0)
              .as("%s: orders by order time", next)
              .isTrue();
          previousDate = date;
          walked.add(row.path("orderId").asText());
        }
        if (pages++ == 0) {
          writer.start(); // the first page is read: from now on events keep arriving
        }
        Matcher link = NEXT.matcher(page.headers().firstValue("Link").orElse(""));
        next = link.matches() ? link.group(1) : null;
      }
      walking.set(false);
      writer.join();

      assertThat(writerFailed.get()).as("the writer").isNull();
      assertThat(postedDuringWalk.get()).as("batches posted while walking").isPositive();
      Set<String> distinct = new HashSet<>(walked);
      assertThat(distinct).as("orders listed twice").hasSameSizeAs(walked);
      Set<String> existing = new HashSet<>();
      for (int s = 0; s < SESSIONS; s++) {
        for (int j = 0; j < ORDERS_PER_SESSION; j++) {
          existing.add(orderId(s, j));
        }
      }
      Set<String> missing = new HashSet<>(existing);
      missing.removeAll(distinct);
      assertThat(missing).as("orders of the history the walk did not list").isEmpty();
      assertThat(pages).isGreaterThanOrEqualTo(ORDERS / 1000);
      // The finance figures kept as records arrived agree with every affiliate read again.
      ApiClient.await(
          "the running totals equal to the full check",
          () ->
              TestLedgers.runningEqualsFull(
                  path -> JSON.readTree(api.get(path, FINANCE).body()),
                  "/finance/summary",
                  "/finance/reconciliation"));
      System.out.printf(
          "walked %,d orders (%,d of the history) in %d pages while %d batches were posted%n",
          walked.size(), existing.size(), pages, postedDuringWalk.get());
      long started = System.nanoTime();
      api.get("/finance/reconciliation", FINANCE);
      long running = System.nanoTime() - started;
      started = System.nanoTime();
      api.get("/finance/reconciliation?full=true", FINANCE);
      long full = System.nanoTime() - started;
      System.out.printf(
          "reconciliation over %,d journal entries: running totals %.1f ms, full check %.1f ms%n",
          ORDERS, running / 1e6, full / 1e6);
    }
  }

  /** 1,000 sessions of one click and 100 orders each, then a tick: 101,001 lines. */
  private Path history() throws Exception {
    Path file = dir.resolve("history.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int s = 0; s < SESSIONS; s++) {
        Instant click = START.plusSeconds(60L * s);
        out.write(click("c-" + s, "s-" + s, click));
        out.newLine();
        for (int j = 0; j < ORDERS_PER_SESSION; j++) {
          out.write(order(orderId(s, j), "s-" + s, click.plusSeconds(j + 1)));
          out.newLine();
        }
      }
      out.write(tick(START.plus(Duration.ofDays(2))));
      out.newLine();
    }
    return file;
  }

  /**
   * Until the walk ends: a new session with orders after every order so far, completions of ten
   * orders of the history, and a tick, posted as one batch every 50 ms.
   */
  private static void keepWriting(
      ApiClient api,
      AtomicBoolean walking,
      AtomicInteger posted,
      AtomicReference<Throwable> failed) {
    try {
      for (int batch = 0; walking.get(); batch++) {
        Instant at = START.plus(Duration.ofDays(2)).plusSeconds(600L * batch + 1);
        List<String> lines = new ArrayList<>();
        lines.add(click("c-new-" + batch, "s-new-" + batch, at));
        for (int j = 0; j < 10; j++) {
          lines.add(order("o-new-" + batch + "-" + j, "s-new-" + batch, at.plusSeconds(j + 1)));
          int s = (batch * 37 + j * 101) % SESSIONS;
          lines.add(
              "{\"type\":\"OrderCompleted\",\"eventId\":\"done-"
                  + batch
                  + "-"
                  + j
                  + "\",\"orderId\":\""
                  + orderId(s, batch % ORDERS_PER_SESSION)
                  + "\",\"occurredAt\":\""
                  + at.plusSeconds(30)
                  + "\"}");
        }
        lines.add(tick(at.plusSeconds(60)));
        HttpResponse<String> answer = api.post("/events", FINANCE, String.join("\n", lines));
        if (answer.statusCode() != 200) {
          throw new AssertionError("POST /events answered " + answer.body());
        }
        if (walking.get()) {
          posted.incrementAndGet();
        }
        Thread.sleep(50);
      }
    } catch (Throwable e) {
      failed.set(e);
    }
  }

  private static void awaitEntries(ApiClient api, long entries) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long seen = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> balance = api.get("/affiliates/" + AFFILIATE + "/balance", FINANCE);
      if (balance.statusCode() == 200) {
        seen = JSON.readTree(balance.body()).path("entries").asLong();
        if (seen >= entries) {
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the history's " + entries + " journal entries did not arrive; " + seen + " did");
  }

  private static String orderId(int session, int order) {
    return "o-" + session + "-" + order;
  }

  private static String click(String id, String session, Instant at) {
    return "{\"type\":\"ClickRecorded\",\"eventId\":\""
        + id
        + "\",\"clickId\":\"k"
        + id
        + "\",\"affiliateId\":\""
        + AFFILIATE
        + "\",\"sessionId\":\""
        + session
        + "\",\"occurredAt\":\""
        + at
        + "\"}";
  }

  private static String order(String id, String session, Instant at) {
    return "{\"type\":\"OrderPlaced\",\"eventId\":\"e-"
        + id
        + "\",\"orderId\":\""
        + id
        + "\",\"sessionId\":\""
        + session
        + "\",\"lines\":[{\"productId\":\"p\",\"category\":\"toys\",\"amountCents\":1000,"
        + "\"quantity\":1}],\"occurredAt\":\""
        + at
        + "\"}";
  }

  private static String tick(Instant at) {
    return "{\"type\":\"ClockTick\",\"at\":\"" + at + "\"}";
  }
}
