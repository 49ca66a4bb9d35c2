package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code /} in a real browser (Debian's Chromium, driven by Selenium through
 * Debian's chromedriver) against a real ledger: it signs in with a token, shows the numbers the API
 * answers, follows the ledger as events arrive, downloads the orders as CSV, shows an affiliate
 * token its own account only, and logs no error in the browser's console. Screenshots of both views
 * are saved under {@code target/}.
 */
@Timeout(300)
class DashboardBrowserIntegrationTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String FINANCE = "finance-token-0123456789";
  private static final String AFF1 = "affiliate-token-aff-1-0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  private WebDriver browser;

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void shouldShowWhatTheApiAnswersToFinanceAndToAnAffiliateItsOwnAccountOnly() throws Exception {
    try (LedgerRuntime ledger =
        TestLedgers.manual(
            dir.resolve("run"),
            kafka.bootstrapServers(),
            3,
            FINANCE + " finance",
            AFF1 + " affiliate aff-1")) {
      ApiClient api = new ApiClient(ledger::httpPort);
      firstSession(api);
      String home = "http://127.0.0.1:" + ledger.httpPort() + "/?refresh=500";
      browser = chromium(dir.resolve("downloads"));
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

      browser.get(home);
      assertThat(script("return Dashboard.money(123456)")).isEqualTo("$1,234.56");
      assertThat(script("return Dashboard.money(-150)")).isEqualTo("-$1.50");
      assertThat(script("return Dashboard.money(7)")).isEqualTo("$0.07");
      assertThat(script("return Dashboard.nextPage('</a/orders?limit=1&cursor=b2>; rel=\"next\"')"))
          .isEqualTo("/a/orders?limit=1&cursor=b2");
      assertThat(script("return Dashboard.nextPage(null)")).isNull();

      signIn(wait, FINANCE);
      JsonNode summary = json(api, "/finance/summary", FINANCE);
      awaitCards(wait, "totals", summary);
      assertThat(text("reconciliation")).isEqualTo("reconciled");
      List<List<String>> ranking = tableRows("ranking");
      JsonNode ranked = json(api, "/finance/affiliates?limit=20&sort=balance", FINANCE);
      assertThat(ranking).hasSize(ranked.size());
      for (int i = 0; i < ranked.size(); i++) {
        JsonNode row = ranked.get(i);
        assertThat(ranking.get(i).subList(0, 6))
            .as("row %d of the ranking", i)
            .containsExactly(
                row.path("affiliateId").asText(),
                money(row.path("pendingCents").asLong()),
                money(row.path("awaitingRefreshCents").asLong()),
                money(row.path("balanceCents").asLong()),
                money(row.path("withdrawnCents").asLong()),
                money(row.path("earnedCents").asLong()));
      }
      assertThat(ranking.get(0).get(0)).as("aff-1 has the larger balance").isEqualTo("aff-1");

      // Finance puts aff-1's accepted withdrawal into a payout batch (the tick below applies it).
      HttpResponse<String> batch = api.post("/finance/payout-batches", FINANCE, "");
      assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
      String batchId = JSON.readTree(batch.body()).path("batchId").asText();

      // It follows the ledger: a new order for aff-1 shows without reloading the page.
      assertThat(
              api.post(
                      "/events",
                      FINANCE,
                      String.join(
                          "\n",
                          "{\"type\":\"ClickRecorded\",\"eventId\":\"click-9\",\"clickId\":\"k-9\","
                              + "\"affiliateId\":\"aff-1\",\"trackingId\":\"blog\","
                              + "\"sessionId\":\"s-9\",\"occurredAt\":\"2026-04-11T10:00:00Z\"}",
                          "{\"type\":\"OrderPlaced\",\"eventId\":\"order-9\",\"orderId\":\"o-9\","
                              + "\"sessionId\":\"s-9\",\"buyerId\":\"b-9\",\"lines\":[{\"productId\":"
                              + "\"radio\",\"category\":\"electronics\",\"amountCents\":12345,"
                              + "\"quantity\":1}],\"occurredAt\":\"2026-04-11T10:05:00Z\"}",
                          "{\"type\":\"ClockTick\",\"at\":\"2026-04-11T11:00:00Z\"}"))
                  .statusCode())
          .isEqualTo(200);
      await(
          "the new order's commission in the summary",
          () -> json(api, "/finance/summary", FINANCE).path("pendingCents").asLong() > 0);
      awaitCards(wait, "totals", json(api, "/finance/summary", FINANCE));
      wait.until(
          b -> {
            List<List<String>> batches = tableRows("payout-batches");
            return batches.size() == 1 && batches.get(0).get(0).equals(batchId);
          });
      assertThat(tableRows("payout-batches").get(0).subList(2, 7))
          .as("withdrawals, payout, open, paid, failed")
          .containsExactly("1", money(1500), "1", "0", "0");
      screenshot("dashboard-finance.png");

      // One affiliate, from the ranking.
      wait.ignoring(StaleElementReferenceException.class)
          .until(
              b -> {
                b.findElement(By.linkText("aff-1")).click();
                return true;
              });
      JsonNode balance = json(api, "/affiliates/aff-1/balance", FINANCE);
      awaitCards(wait, "balance", balance);
      JsonNode orders = json(api, "/affiliates/aff-1/orders", FINANCE);
      wait.until(b -> tableRows("orders").size() == orders.size());
      assertThat(tableRows("orders").get(0).get(0)).as("newest order first").isEqualTo("o-9");
      JsonNode withdrawals = json(api, "/affiliates/aff-1/withdrawals", FINANCE);
      List<List<String>> shown = tableRows("withdrawals");
      assertThat(shown).hasSize(withdrawals.size());
      assertThat(shown.get(0).subList(0, 5))
          .containsExactly(
              withdrawals.get(0).path("withdrawalId").asText(),
              withdrawals.get(0).path("status").asText(),
              money(withdrawals.get(0).path("amountCents").asLong()),
              money(withdrawals.get(0).path("feeCents").asLong()),
              money(withdrawals.get(0).path("payoutCents").asLong()));
      assertThat(shown.get(0).get(7))
          .as("the payout batch of the withdrawal")
          .isEqualTo(withdrawals.get(0).path("batchId").asText());
      assertThat(tableRows("journal"))
          .hasSize(json(api, "/affiliates/aff-1/journal", FINANCE).size());
      JsonNode traffic = json(api, "/affiliates/aff-1/traffic", FINANCE);
      assertThat(tableRows("traffic").get(0).subList(0, 3))
          .containsExactly(
              traffic.get(0).path("group").asText(),
              traffic.get(0).path("clicks").asText(),
              traffic.get(0).path("orders").asText());

      browser.findElement(By.id("orders-csv")).click();
      Path csv = dir.resolve("downloads").resolve("orders-aff-1.csv");
      await("the orders' CSV download", () -> Files.isRegularFile(csv) && Files.size(csv) > 0);
      assertThat(Files.readString(csv, StandardCharsets.UTF_8))
          .isEqualTo(api.get("/affiliates/aff-1/orders?format=csv", FINANCE).body());
      screenshot("dashboard-affiliate.png");
      assertThat(consoleErrors()).as("the browser's console, as finance").isEmpty();

      // An affiliate's own token: its account, nothing of the programme or of another affiliate.
      browser.findElement(By.id("sign-out")).click();
      signIn(wait, AFF1);
      awaitCards(wait, "balance", json(api, "/affiliates/aff-1/balance", AFF1));
      assertThat(browser.findElement(By.id("finance")).isDisplayed()).isFalse();
      assertThat(text("affiliate-title")).isEqualTo("aff-1");
      browser.get(home + "#/affiliates/aff-2");
      wait.until(b -> Integer.parseInt(refreshes()) >= 2);
      assertThat(text("affiliate-title")).isEqualTo("aff-1");
      assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("aff-2");
      assertThat(consoleErrors()).as("the browser's console, as an affiliate").isEmpty();

      // A token the ledger does not know is refused at the sign-in form.
      browser.findElement(By.id("sign-out")).click();
      browser.findElement(By.id("token")).sendKeys("not-a-known-token-at-all");
      browser.findElement(By.id("sign-in")).click();
      wait.until(b -> text("login-error").equals("unknown token"));
    }
  }

  /** README's first session up to the tick of 10 April: balances, a withdrawal, fees. */
  private void firstSession(ApiClient api) throws Exception {
    Path example = TestLedgers.repositoryRoot().resolve("examples/first-session.jsonl");
    for (List<String> command :
        List.of(
            List.of("publish", example.toString()),
            List.of("tick", "--at", "2026-03-13"),
            List.of("tick", "--at", "2026-04-10"))) {
      TestLedgers.Cli ran = TestLedgers.cliOn(kafka.bootstrapServers(), command);
      assertThat(ran.exit()).as("%s: %s", command, ran.err()).isZero();
    }
    await(
        "aff-1's withdrawal",
        () -> json(api, "/affiliates/aff-1/balance", FINANCE).path("withdrawnCents").asLong() > 0);
  }

  private WebDriver chromium(Path downloads) throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "this test drives Debian's Chromium: apt-get install chromium chromium-driver"
                + " (.ci/run installs them when missing)")
        .isTrue();
    Files.createDirectories(downloads);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1300,1700",
        "--user-data-dir=" + dir.resolve("chromium"));
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private void signIn(WebDriverWait wait, String token) {
    wait.until(b -> b.findElement(By.id("login")).isDisplayed());
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("sign-in")).click();
    wait.until(b -> !refreshes().isEmpty() && Integer.parseInt(refreshes()) >= 1);
  }

  private String refreshes() {
    String count = browser.findElement(By.tagName("body")).getDomAttribute("data-refreshes");
    return count == null ? "" : count;
  }

  /**
   * Waits until every card of {@code list} shows what {@code body} holds, as the page formats it.
   */
  private void awaitCards(WebDriverWait wait, String list, JsonNode body) {
    wait.until(b -> cardsShown(list).equals(cardsExpected(list, body)));
  }

  /** The cards of {@code list} as shown: field → text, read at one moment. */
  @SuppressWarnings("unchecked")
  private Map<String, String> cardsShown(String list) {
    return (Map<String, String>)
        script(
            "return Object.fromEntries(Array.from(document.querySelectorAll('#"
                + list
                + " dd[data-field]')).map(dd => [dd.dataset.field, dd.innerText]))");
  }

  /** The same cards as they should read from {@code body}, an answer of the API. */
  @SuppressWarnings("unchecked")
  private Map<String, String> cardsExpected(String list, JsonNode body) {
    Map<String, String> kinds =
        (Map<String, String>)
            script(
                "return Object.fromEntries(Array.from(document.querySelectorAll('#"
                    + list
                    + " dd[data-field]')).map(dd => [dd.dataset.field, dd.dataset.kind || '']))");
    Map<String, String> expected = new java.util.HashMap<>();
    kinds.forEach(
        (field, kind) -> {
          JsonNode value = body.path(field);
          expected.put(
              field,
              switch (kind) {
                case "count" -> String.format(Locale.ROOT, "%,d", value.asLong());
                case "date" ->
                    value.asText().substring(0, 10)
                        + " "
                        + value.asText().substring(11, 16)
                        + " UTC";
                default -> money(value.asLong());
              });
        });
    return expected;
  }

  /** The cells of {@code table}'s rows as shown, read at one moment. */
  @SuppressWarnings("unchecked")
  private List<List<String>> tableRows(String table) {
    return (List<List<String>>)
        script(
            "return Array.from(document.querySelectorAll('#"
                + table
                + " tbody tr')).map(tr => Array.from(tr.cells).map(td => td.innerText))");
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  private List<String> consoleErrors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  private void screenshot(String name) throws Exception {
    Path target = Path.of("target").resolve(name);
    Files.createDirectories(target.getParent());
    Files.write(
        target, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static JsonNode json(ApiClient api, String path, String token) throws Exception {
    return JSON.readTree(api.get(path, token).body());
  }

  /** Cents as the dashboard shows them: {@code $1,234.56}. */
  private static String money(long cents) {
    return (cents < 0 ? "-$" : "$")
        + String.format(Locale.ROOT, "%,d.%02d", Math.abs(cents) / 100, Math.abs(cents) % 100);
  }
}
