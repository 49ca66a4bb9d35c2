package com.portals.ledger.streams;

import org.apache.kafka.common.serialization.Serializer;

/** A serializer of a sink that the ledger's one processor forwards values of many types to. */
final class CastingSerializer<T> implements Serializer<Object> {

  private final Serializer<T> serializer;

  CastingSerializer(Serializer<T> serializer) {
    this.serializer = serializer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public byte[] serialize(String topic, Object data) {
    return serializer.serialize(topic, (T) data);
  }
}
