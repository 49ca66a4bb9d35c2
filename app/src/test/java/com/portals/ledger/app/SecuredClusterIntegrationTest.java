package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.ContractExamples;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on a cluster that takes clients only over SASL: {@code run}, {@code publish}, {@code
 * tick} and {@code verify} each reach it with the same settings ({@code --set
 * security.protocol=...} and the SASL keys), and the replay equals the live journal. A client that
 * dropped them would not connect at all.
 */
@Timeout(300)
class SecuredClusterIntegrationTest {

  private static final String FINANCE = "finance-token-0123456789";

  @RegisterExtension
  static final KafkaClusterExtension kafka = new KafkaClusterExtension().withSasl();

  @TempDir Path dir;

  @Test
  void shouldRunPublishTickAndVerifyOverSasl() throws Exception {
    Settings settings = Settings.empty();
    List<String> sets = new ArrayList<>();
    for (Map.Entry<String, String> setting : kafka.clientSettings().entrySet()) {
      settings = settings.with(setting.getKey(), setting.getValue());
      sets.add("--set");
      sets.add(setting.getKey() + "=" + setting.getValue());
    }
    Path events = dir.resolve("events.jsonl");
    Files.write(events, ContractExamples.lines(), StandardCharsets.UTF_8);
    Path tokens = TestLedgers.tokensFile(dir.resolve("run"), FINANCE + " finance");

    try (LedgerRuntime ledger =
        TestLedgers.start(
            dir.resolve("run"), kafka.bootstrapServers(), tokens, ClockMode.MANUAL, 3, settings)) {
      ApiClient api = new ApiClient(ledger::httpPort);

      String[] published = command(sets, "publish", events.toString());
      String[] ticked = command(sets, "tick", "--at", "2026-03-13");

      assertThat(published[0]).as(published[1]).isEqualTo("0");
      assertThat(published[1]).contains("accepted=" + ContractExamples.lines().size());
      assertThat(ticked[0]).as(ticked[1]).isEqualTo("0");
      await(
          "the journal of aff-1",
          () -> api.get("/affiliates/aff-1/journal", FINANCE).body().contains("COMMISSION"));

      String[] verified = command(sets, "verify", "--data-dir", dir.resolve("audit").toString());

      assertThat(verified[0]).as(verified[1]).isEqualTo("0");
      assertThat(verified[1]).contains("IDENTICAL");
    }
  }

  /** Runs a {@code ledger} command against the cluster; its exit status, then what it printed. */
  private static String[] command(List<String> sets, String name, String... args) {
    List<String> line =
        new ArrayList<>(List.of(name, "--bootstrap-servers", kafka.bootstrapServers()));
    line.addAll(sets);
    line.addAll(List.of(args));
    TestLedgers.Cli ran = TestLedgers.cli(line.toArray(String[]::new));
    return new String[] {String.valueOf(ran.exit()), ran.out() + ran.err()};
  }
}
