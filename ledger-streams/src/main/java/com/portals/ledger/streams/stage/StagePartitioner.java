package com.portals.ledger.streams.stage;

import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.internal.Watermark;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions stage messages by key, as Kafka's default partitioner would, except watermarks and
 * rates, which every partition of the next stage needs: those are sent to all of them.
 */
public final class StagePartitioner implements StreamPartitioner<String, StageMessage> {

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, StageMessage value, int partitions) {
    Object body = value.getBody();
    if (body instanceof Watermark || body instanceof CommissionRateSet) {
      return Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % partitions));
  }
}
