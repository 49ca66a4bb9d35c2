package com.portals.ledger.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class WriteBackStoreTest {

  private final KeyValueStore<Bytes, byte[]> rocks = TestStores.inMemory("write-back-test");

  private static Bytes key(String key) {
    return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] value(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(List<WriteBackStore<byte[]>.Entry> entries) {
    return entries.stream()
        .map(entry -> new String(entry.key().get(), StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void shouldKeepChangesOutOfTheStoreUntilFlushed() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);

    store.put(key("a"), value("1"));

    assertThat(store.get(key("a"))).isEqualTo(value("1"));
    assertThat(rocks.get(key("a"))).isNull();
    store.flush();
    assertThat(rocks.get(key("a"))).isEqualTo(value("1"));
    assertThat(store.pending()).isZero();
  }

  @Test
  void shouldNeverWriteAKeyPutAsNewAndDeletedBeforeTheFlush() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);

    store.putNew(key("held"), value("x"));
    store.delete(key("held"));
    store.flush();

    assertThat(rocks.approximateNumEntries()).isZero();
    assertThat(store.counts()).containsExactly(0, 0, 1);
  }

  @Test
  void shouldWriteTheDeletionOfAKeyThatReachedTheStore() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);
    store.putNew(key("held"), value("x"));
    store.flush();

    store.delete(key("held"));
    assertThat(store.get(key("held"))).isNull();
    store.flush();

    assertThat(rocks.get(key("held"))).isNull();
    assertThat(store.counts()).containsExactly(1, 1, 0);
  }

  @Test
  void shouldTreatAKeyPutAgainAfterItsDeletionAsStored() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);
    store.put(key("k"), value("1"));
    store.flush();

    store.delete(key("k"));
    store.putNew(key("k"), value("2"));
    store.delete(key("k"));
    store.flush();

    assertThat(rocks.get(key("k"))).as("the deletion reached the store").isNull();
  }

  @Test
  void shouldListPendingChangesAndStoredEntriesInKeyOrder() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);
    store.put(key("a"), value("1"));
    store.put(key("c"), value("3"));
    store.put(key("e"), value("5"));
    store.flush();

    store.put(key("b"), value("2"));
    store.delete(key("c"));
    store.put(key("e"), value("55"));
    store.put(key("z"), value("26"));

    List<WriteBackStore<byte[]>.Entry> listed = store.list(key("a"), key("f"), 10);
    assertThat(keys(listed)).containsExactly("a", "b", "e");
    assertThat(listed.get(2).value()).isEqualTo(value("55"));
    assertThat(keys(store.list(key("a"), key("f"), 2))).containsExactly("a", "b");
    assertThat(keys(store.list(key("b"), key("e"), 10)))
        .as("the end is exclusive")
        .containsExactly("b");
  }

  @Test
  void shouldListOnlyStoredEntriesOfAnUnorderedStore() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16, false, false);
    store.put(key("a"), value("1"));
    store.put(key("c"), value("3"));
    store.flush();

    store.put(key("b"), value("2"));
    store.delete(key("c"));
    store.put(key("a"), value("11"));

    List<WriteBackStore<byte[]>.Entry> listed = store.list(key("a"), key("z"), 10);
    assertThat(keys(listed)).containsExactly("a");
    assertThat(listed.get(0).value()).isEqualTo(value("11"));
    assertThat(store.get(key("b"))).isEqualTo(value("2"));
  }

  @Test
  void shouldListAnIndexedStoreFromItsKeysInMemory() {
    WriteBackStore<byte[]> first = new WriteBackStore<>(rocks, Codec.bytes(), 0, true, true);
    first.put(key("a"), value("1"));
    first.put(key("c"), value("3"));
    first.flush();

    // A new instance over the same store (a restart) reads the index back.
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 0, true, true);
    store.putNew(key("b"), value("2"));
    store.delete(key("a"));

    List<WriteBackStore<byte[]>.Entry> listed = store.list(key("a"), key("z"), 10);
    assertThat(keys(listed)).containsExactly("b", "c");
    assertThat(listed.get(1).value()).isEqualTo(value("3"));
    assertThat(store.get(key("x"))).isNull();
    store.flush();
    assertThat(
            keys(
                new WriteBackStore<>(rocks, Codec.bytes(), 0, true, true)
                    .list(key("a"), key("z"), 10)))
        .containsExactly("b", "c");
  }

  @Test
  void shouldDecodeAScannedValueOnlyWhenAskedFor() {
    int[] decoded = {0};
    Codec<String> counting =
        new Codec<>() {
          @Override
          public byte[] encode(String value) {
            return value(value);
          }

          @Override
          public String decode(byte[] bytes) {
            decoded[0]++;
            return new String(bytes, StandardCharsets.UTF_8);
          }
        };
    WriteBackStore<String> writer = new WriteBackStore<>(rocks, counting, 0);
    for (String k : List.of("a", "b", "c", "d")) {
      writer.put(key(k), k);
    }
    writer.flush();

    WriteBackStore<String> store = new WriteBackStore<>(rocks, counting, 0);
    List<WriteBackStore<String>.Entry> listed = store.list(key("a"), key("z"), 10);

    assertThat(listed).hasSize(4);
    assertThat(listed.get(0).stored()).isEqualTo(value("a"));
    assertThat(listed.get(0).value()).isEqualTo("a");
    assertThat(decoded[0]).isEqualTo(1);
  }

  @Test
  void shouldForgetPendingChangesWhenCleared() {
    WriteBackStore<byte[]> store = new WriteBackStore<>(rocks, Codec.bytes(), 16);
    store.put(key("a"), value("1"));

    store.clear();
    store.flush();

    assertThat(rocks.get(key("a"))).isNull();
  }
}
