package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first session, typed as written: {@code publish examples/first-session.jsonl}, then the
 * README's ticks, and after each step the balances README's table promises, read through the API as
 * the reader's {@code curl} does. The table is read from README itself, so a change of the rules,
 * the example or the README that makes them disagree fails here.
 */
@Timeout(180)
class FirstSessionIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row of README's table: after which command, whose balance, and its fields in cents. */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `([^`]+)` \\| `(aff-[0-9]+)` \\| ([0-9]+) \\| ([0-9]+) \\| ([0-9]+) \\| ([0-9]+)"
              + " \\| ([0-9]+) \\|$");

  private static final List<String> FIELDS =
      List.of(
          "pendingCents", "awaitingRefreshCents", "balanceCents", "withdrawnCents", "feesCents");

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @TempDir Path dir;

  @Test
  void shouldShowTheBalancesReadmePromisesAfterEachStepOfTheFirstSession() throws Exception {
    Path root = TestLedgers.repositoryRoot();
    Map<String, Map<String, List<Long>>> promised = promisedBalances(root.resolve("README.md"));
    assertThat(promised.keySet())
        .as("README's steps")
        .containsExactly(
            "publish examples/first-session.jsonl", "tick --at 2026-03-13", "tick --at 2026-04-10");
    try (LedgerRuntime ledger =
        TestLedgers.manual(dir.resolve("run"), kafka.bootstrapServers(), 6, FINANCE + " finance")) {
      ApiClient api = new ApiClient(ledger::httpPort);
      for (Map.Entry<String, Map<String, List<Long>>> step : promised.entrySet()) {
        List<String> words = new ArrayList<>(List.of(step.getKey().split(" ")));
        if (words.get(0).equals("publish")) {
          words.set(1, root.resolve(words.get(1)).toString());
        }
        TestLedgers.Cli ran = TestLedgers.cliOn(kafka.bootstrapServers(), words);

        assertThat(ran.exit()).as("%s: %s %s", step.getKey(), ran.out(), ran.err()).isZero();
        for (Map.Entry<String, List<Long>> balance : step.getValue().entrySet()) {
          String path = "/affiliates/" + balance.getKey() + "/balance";
          AtomicReference<List<Long>> seen = new AtomicReference<>(List.of());
          await(
              balance.getKey() + "'s balance " + balance.getValue() + " after " + step.getKey(),
              () -> {
                seen.set(fields(api.get(path, FINANCE).body()));
                return seen.get().equals(balance.getValue());
              });
          assertThat(seen.get()).as(step.getKey() + ": " + path).isEqualTo(balance.getValue());
        }
      }
    }
  }

  /** The balance fields README's table shows, in its order; empty while there is no account. */
  private static List<Long> fields(String body) throws Exception {
    JsonNode balance = JSON.readTree(body);
    List<Long> values = new ArrayList<>();
    if (balance.has("balanceCents")) {
      FIELDS.forEach(field -> values.add(balance.path(field).asLong()));
    }
    return values;
  }

  /** README's table of the first session: step → affiliate → fields. */
  private static Map<String, Map<String, List<Long>>> promisedBalances(Path readme)
      throws Exception {
    Map<String, Map<String, List<Long>>> steps = new LinkedHashMap<>();
    for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
      Matcher row = ROW.matcher(line.strip());
      if (row.matches()) {
        List<Long> values = new ArrayList<>();
        for (int group = 3; group <= 7; group++) {
          values.add(Long.parseLong(row.group(group)));
        }
        steps
            .computeIfAbsent(row.group(1), step -> new LinkedHashMap<>())
            .put(row.group(2), values);
      }
    }
    return steps;
  }
}
