package com.portals.ledger.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VerifierTest {

  @Test
  void shouldFindAWithdrawalInAnotherPayoutBatchThanTheReplayPutsItIn() {
    TreeMap<String, String> replayed = new TreeMap<>();
    replayed.put("aff-1 w1", "PB-1");
    replayed.put("aff-2 w2", "PB-1");
    replayed.put("aff-3 w3", "PB-2");
    TreeMap<String, String> live = new TreeMap<>(replayed);

    assertThat(Verifier.payoutBatches(replayed, live)).isEmpty();

    live.put("aff-2 w2", "PB-9");
    live.remove("aff-3 w3");
    live.put("aff-4 w4", "PB-2");

    assertThat(Verifier.payoutBatches(replayed, live))
        .extracting(
            Verifier.Difference::affiliateId,
            Verifier.Difference::entryId,
            Verifier.Difference::expected,
            Verifier.Difference::found)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("aff-2", "(withdrawal w2)", "PB-1", "PB-9"),
            org.assertj.core.groups.Tuple.tuple("aff-3", "(withdrawal w3)", "PB-2", "(no batch)"),
            org.assertj.core.groups.Tuple.tuple("aff-4", "(withdrawal w4)", "(no batch)", "PB-2"));
  }
}
