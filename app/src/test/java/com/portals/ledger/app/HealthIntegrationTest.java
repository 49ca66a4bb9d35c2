package com.portals.ledger.app;

import static com.portals.ledger.testkit.ApiClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.app.cli.Settings;
import com.portals.ledger.app.runtime.LedgerRuntime;
import com.portals.ledger.app.runtime.LedgerRuntime.ClockMode;
import com.portals.ledger.testkit.ApiClient;
import com.portals.ledger.testkit.KafkaClusterExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /health} of a running ledger, without a
 * token: ready only while both Kafka Streams clients are RUNNING, live throughout.
 */
@Timeout(180)
class HealthIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();
  @TempDir Path dir;

  private LedgerRuntime ledger;
  private final ApiClient api = new ApiClient(() -> ledger.httpPort());

  @AfterEach
  void stopLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }

  @Test
  void shouldBeReadyOnlyWhileBothStreamsClientsRunAndLiveThroughout() throws Exception {
    Path tokens = TestLedgers.tokensFile(dir, "finance-token-0123456789 finance");
    ledger =
        TestLedgers.start(
            dir, kafka.bootstrapServers(), tokens, ClockMode.MANUAL, 2, Settings.empty());

    // As the ledger starts, its clients rebalance: every 200 on the way must come with both
    // RUNNING, from /health as from /health/ready.
    await("ready", () -> readyAsShown("/health") & readyAsShown("/health/ready"));
    assertThat(live()).isEqualTo(200);

    ledger.projections().close();

    HttpResponse<String> ready = api.get("/health/ready", null);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
    JsonNode body = JSON.readTree(ready.body());
    assertThat(body.path("error").asText()).contains("projections").doesNotContain("streams (");
    assertThat(body.path("projections").asText()).isEqualTo("NOT_RUNNING");
    assertThat(api.get("/health", null).statusCode()).isEqualTo(503);
    assertThat(live()).isEqualTo(200);
  }

  /** Whether {@code path} says ready, checking that what it shows agrees. */
  private boolean readyAsShown(String path) throws Exception {
    HttpResponse<String> answer = api.get(path, null);
    JsonNode body = JSON.readTree(answer.body());
    if (answer.statusCode() == 200) {
      assertThat(body.path("streams").asText()).as(answer.body()).isEqualTo("RUNNING");
      assertThat(body.path("projections").asText()).as(answer.body()).isEqualTo("RUNNING");
      return true;
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    assertThat(body.path("error").asText()).as(answer.body()).startsWith("not ready: ");
    assertThat(live()).isEqualTo(200);
    return false;
  }

  private int live() throws Exception {
    return api.get("/health/live", null).statusCode();
  }
}
