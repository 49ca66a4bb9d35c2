package com.portals.ledger.app.runtime;

import com.portals.ledger.app.audit.KafkaReads;
import com.portals.ledger.projections.query.FinanceSummary;
import com.portals.ledger.projections.query.Period;
import com.portals.ledger.projections.query.ReadModel;
import com.portals.ledger.projections.query.RejectionPage;
import com.portals.ledger.schemas.clients.KafkaClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /metrics} shows, in Prometheus' text format: the JVM, both Kafka Streams clients
 * (every Kafka Streams, consumer and producer metric, tagged with its client), and the ledger's own
 * figures (docs/runbook.md "Metrics"):
 *
 * <ul>
 *   <li>{@code ledger_time_seconds}: the ledger's time (its latest tick), and {@code
 *       ledger_time_behind_seconds}: how far it is behind this machine's clock;
 *   <li>{@code ledger_consumer_lag_records{side, topic}}: records of each topic the write side
 *       ({@code side="write"}) or the read side ({@code side="read"}) has not yet committed past,
 *       summed over the partitions it has committed on;
 *   <li>{@code ledger_money_cents{state}} and {@code ledger_withdrawals{status}}: the finance
 *       summary of the affiliates this instance holds;
 *   <li>{@code ledger_rejections{reason}}: the rejections this instance's read side holds, by
 *       reason.
 * </ul>
 *
 * <p>The ledger's figures are computed when scraped, at most once per {@link #REFRESH} (lag asks
 * the broker; the summary and the rejections read the read side's stores). Reading this machine's
 * clock here decides nothing: it only reports.
 */
final class LedgerMetrics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);

  /** The ledger's figures are recomputed at most this often. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  /** How long a scrape waits for Kafka to answer about lag. */
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<AutoCloseable> binders = new ArrayList<>();
  private final Admin admin;
  private final KafkaReads kafka;
  private final Map<String, String> groups;
  private final Supplier<ReadModel> reads;
  private final Clock clock;
  private final MultiGauge lag;
  private final MultiGauge money;
  private final MultiGauge withdrawals;
  private final MultiGauge rejections;
  private final MultiGauge entries;
  private volatile Instant ledgerTime;
  private long refreshedAt = Long.MIN_VALUE;

  /**
   * @param groups the Kafka Streams application id of each side ({@code write}, {@code read})
   * @param reads the read side's model, or null while it is not attached
   */
  LedgerMetrics(
      KafkaClients clients, Map<String, String> groups, Supplier<ReadModel> reads, Clock clock) {
    this.admin = Admin.create(clients.admin(Map.of("client.id", "ledger-metrics")));
    this.kafka = new KafkaReads(admin, clients, ADMIN_TIMEOUT);
    this.groups = groups;
    this.reads = reads;
    this.clock = clock;
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("ledger.time", this, m -> seconds(m.ledgerTime))
        .description("the ledger's time: the instant of its latest tick")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("ledger.time.behind", this, LedgerMetrics::behind)
        .description("how far the ledger's time is behind this machine's clock")
        .baseUnit("seconds")
        .register(registry);
    lag =
        MultiGauge.builder("ledger.consumer.lag")
            .description("records of a topic that a side of the ledger has not committed past")
            .baseUnit("records")
            .register(registry);
    money =
        MultiGauge.builder("ledger.money")
            .description("money of the affiliates this instance holds, by state")
            .baseUnit("cents")
            .register(registry);
    withdrawals =
        MultiGauge.builder("ledger.withdrawals")
            .description("withdrawals of the affiliates this instance holds, by latest status")
            .register(registry);
    rejections =
        MultiGauge.builder("ledger.rejections")
            .description("rejections this instance's read side holds, by reason")
            .register(registry);
    entries =
        MultiGauge.builder("ledger.journal.entries")
            .description("journal entries of the affiliates this instance holds, by kind")
            .register(registry);
  }

  /**
   * Looks for Kafka metrics registered since (a task's, when it starts; the ledger's events applied
   * by type, at a type's first event) every {@link #REFRESH}, not Micrometer's default minute.
   */
  private final ScheduledExecutorService kafkaRefresh =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "ledger-metrics-kafka-refresh");
            thread.setDaemon(true);
            return thread;
          });

  /** Adds the metrics of a Kafka Streams client, tagged {@code side}. */
  void bind(String side, KafkaStreams streams) {
    KafkaStreamsMetrics metrics =
        new KafkaStreamsMetrics(streams, Tags.of("side", side), kafkaRefresh, REFRESH);
    metrics.bindTo(registry);
    binders.add(metrics);
  }

  /** The metrics now, in Prometheus' text format. */
  synchronized String scrape() {
    long now = System.nanoTime();
    if (refreshedAt == Long.MIN_VALUE || now - refreshedAt >= REFRESH.toNanos()) {
      refreshedAt = now;
      refreshLag();
      refreshReadSide();
    }
    return registry.scrape();
  }

  private void refreshLag() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    try {
      for (Map.Entry<String, String> group : groups.entrySet()) {
        lagOf(group.getValue())
            .forEach(
                (topic, records) ->
                    rows.add(
                        MultiGauge.Row.of(
                            Tags.of("side", group.getKey(), "topic", topic), records)));
      }
    } catch (RuntimeException e) {
      LOG.debug("consumer lag not available: {}", e.toString());
      return;
    }
    lag.register(rows, true);
  }

  /** Per topic, the records after the offsets {@code group} committed, up to the stable end. */
  private Map<String, Long> lagOf(String group) {
    Map<TopicPartition, Long> committed = kafka.groupOffsets(group);
    Map<String, Long> lags = new TreeMap<>();
    if (!committed.isEmpty()) {
      kafka
          .committedEnds(committed.keySet())
          .forEach(
              (partition, end) ->
                  lags.merge(
                      partition.topic(), Math.max(0, end - committed.get(partition)), Long::sum));
    }
    return lags;
  }

  private void refreshReadSide() {
    ReadModel model = reads.get();
    if (model == null) {
      return;
    }
    try {
      ledgerTime = model.now();
      FinanceSummary summary = model.localSummary();
      money.register(
          List.of(
              row("state", "pending", summary.pendingCents()),
              row("state", "awaiting_refresh", summary.awaitingRefreshCents()),
              row("state", "balance", summary.balanceCents()),
              row("state", "withdrawn", summary.withdrawnCents()),
              row("state", "fees", summary.feesCents()),
              row("state", "payouts_due", summary.payoutsDueCents()),
              row("state", "unattributed_orders", summary.unattributedOrderAmountCents())),
          true);
      withdrawals.register(
          List.of(
              row("status", "accepted", summary.withdrawalsAccepted()),
              row("status", "rejected", summary.withdrawalsRejected()),
              row("status", "paid", summary.withdrawalsPaid()),
              row("status", "failed", summary.withdrawalsFailed())),
          true);
      RejectionPage held =
          model.localRejections(new RejectionPage.Query(Period.ALL, null, null, 1));
      List<MultiGauge.Row<?>> reasons = new ArrayList<>();
      held.counts().forEach((reason, count) -> reasons.add(row("reason", reason, count)));
      rejections.register(reasons, true);
      List<MultiGauge.Row<?>> kinds = new ArrayList<>();
      model.localEntriesByKind().forEach((kind, count) -> kinds.add(row("kind", kind, count)));
      entries.register(kinds, true);
    } catch (RuntimeException e) {
      // The read side's stores move during a rebalance; the next scrape tries again.
      LOG.debug("read-side figures not available: {}", e.toString());
    }
  }

  private static MultiGauge.Row<?> row(String tag, String value, long number) {
    return MultiGauge.Row.of(Tags.of(tag, value), number);
  }

  private static double seconds(Instant instant) {
    return instant == null ? Double.NaN : instant.toEpochMilli() / 1000.0;
  }

  private double behind() {
    Instant time = ledgerTime;
    return time == null ? Double.NaN : Duration.between(time, clock.instant()).toMillis() / 1000.0;
  }

  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        LOG.debug("closing a metrics binder: {}", e.toString());
      }
    }
    kafkaRefresh.shutdownNow();
    registry.close();
    admin.close(Duration.ofSeconds(5));
  }
}
