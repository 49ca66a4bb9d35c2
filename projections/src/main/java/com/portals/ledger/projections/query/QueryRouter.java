package com.portals.ledger.projections.query;

import com.portals.ledger.projections.store.ProjectionStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds an affiliate's query stores, from Kafka Streams' metadata (every instance
 * advertises its HTTP address as {@code application.server}). All of an affiliate's stores live in
 * one task, so one lookup routes every query about it.
 */
public final class QueryRouter {

  private final KafkaStreams streams;
  private final HostInfo self;

  public QueryRouter(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  public HostInfo self() {
    return self;
  }

  /**
   * The instance that holds {@code affiliateId}, if it is another one; empty if it is this one.
   *
   * @throws StoreUnavailableException while the owner is not known (starting, rebalancing)
   */
  public Optional<HostInfo> remoteOwner(String affiliateId) {
    requireRunning();
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(
            ProjectionStores.ACCOUNTS, affiliateId, Serdes.String().serializer());
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
      throw new StoreUnavailableException(
          "the owner of affiliate " + affiliateId + " is not known yet");
    }
    HostInfo owner = metadata.activeHost();
    return owner.equals(self) ? Optional.empty() : Optional.of(owner);
  }

  /** Every other instance of the application that holds query stores. */
  public List<HostInfo> otherInstances() {
    requireRunning();
    List<HostInfo> others = new ArrayList<>();
    for (StreamsMetadata instance : streams.streamsMetadataForStore(ProjectionStores.ACCOUNTS)) {
      if (!instance.hostInfo().equals(self) && !others.contains(instance.hostInfo())) {
        others.add(instance.hostInfo());
      }
    }
    return others;
  }

  private void requireRunning() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StoreUnavailableException("the read side is " + streams.state() + ", not RUNNING");
    }
  }
}
