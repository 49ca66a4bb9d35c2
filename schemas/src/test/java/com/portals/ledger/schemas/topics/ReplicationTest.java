package com.portals.ledger.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationTest {

  @Test
  void shouldKeepThreeCopiesOnAClusterOfThreeOrMoreAndOneOnFewer() {
    assertThat(Replication.forCluster(1, Map.of())).isEqualTo(new Replication((short) 1, 1));
    assertThat(Replication.forCluster(2, Map.of())).isEqualTo(new Replication((short) 1, 1));
    assertThat(Replication.forCluster(3, Map.of())).isEqualTo(new Replication((short) 3, 2));
    assertThat(Replication.forCluster(7, Map.of())).isEqualTo(new Replication((short) 3, 2));
  }

  @Test
  void shouldTakeTheSettingsWhereGiven() {
    assertThat(Replication.forCluster(5, Map.of(Replication.FACTOR, "5")))
        .isEqualTo(new Replication((short) 5, 2));
    assertThat(
            Replication.forCluster(2, Map.of(Replication.FACTOR, "2", Replication.MIN_INSYNC, "2")))
        .isEqualTo(new Replication((short) 2, 2));
  }

  @Test
  void shouldRefuseMoreReplicasThanBrokersOrAMinimumAboveTheFactor() {
    assertThatThrownBy(() -> Replication.forCluster(1, Map.of(Replication.FACTOR, "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ledger.topics.replication-factor=3 but the cluster has 1 broker: set it to at most 1");
    assertThatThrownBy(() -> Replication.forCluster(3, Map.of(Replication.MIN_INSYNC, "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ledger.topics.min-insync-replicas must be between 1 and");
    assertThatThrownBy(() -> Replication.forCluster(3, Map.of(Replication.FACTOR, "three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ledger.topics.replication-factor must be a whole number, got 'three'");
  }
}
