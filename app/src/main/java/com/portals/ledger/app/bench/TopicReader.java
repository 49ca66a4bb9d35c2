package com.portals.ledger.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of some topics from their beginning, {@code read_committed}, in a thread of
 * its own, and hands each record to a handler together with the instant ({@link System#nanoTime()})
 * the poll that returned it came back. No consumer group: partitions are assigned, not subscribed,
 * so there is no rebalance to wait for.
 *
 * <p>The handler runs on the reader's thread only. What it gathers may be read by another thread
 * after {@link #close()}, which joins the reader's thread.
 */
final class TopicReader implements AutoCloseable {

  /** What to do with each record. */
  interface Handler {
    void handle(ConsumerRecord<String, byte[]> record, long receivedNanos);
  }

  /**
   * How long the broker may hold a fetch that finds nothing new: short, so that a record is seen
   * soon after it becomes readable (the default 500 ms would blur the latencies measured).
   */
  private static final String FETCH_MAX_WAIT_MS = "20";

  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean closing;
  private volatile Throwable failure;
  private boolean closed;

  private TopicReader(String name, KafkaConsumer<String, byte[]> consumer, Handler handler) {
    this.consumer = consumer;
    this.handler = handler;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  /**
   * Starts reading {@code topics} (which must exist) on {@code bootstrapServers}; returns once the
   * reader knows where every partition begins, so that nothing published after this returns can be
   * missed or seen late because of a first offset lookup.
   */
  static TopicReader start(
      String name, String bootstrapServers, Collection<String> topics, Handler handler) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " has no partitions");
        }
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      throw e;
    }
    TopicReader reader = new TopicReader(name, consumer, handler);
    reader.thread.start();
    return reader;
  }

  /**
   * @throws IllegalStateException if the reader stopped on an error
   */
  void check() {
    Throwable cause = failure;
    if (cause != null) {
      throw new IllegalStateException(thread.getName() + " failed: " + cause, cause);
    }
  }

  private void loop() {
    try {
      while (!closing) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        long received = System.nanoTime();
        for (ConsumerRecord<String, byte[]> record : records) {
          handler.handle(record, received);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Stops reading and waits for the reader's thread to end; does nothing the second time. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
