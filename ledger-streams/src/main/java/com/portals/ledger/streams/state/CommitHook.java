package com.portals.ledger.streams.state;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and tells its processor when the task is about to commit, so
 * that the processor can write its pending changes ({@link WriteBackStore}) into its logged stores:
 * they then go into the same transaction as the input offsets.
 *
 * <p>Kafka Streams has no public hook before a commit. Before every commit of a task ({@code
 * StreamTask.prepareCommit}) it flushes the caches of the task's stores, that is, it calls {@code
 * flushCache()} on every store that is a {@code CachedStateStore}, then flushes the record
 * collector, then commits; the logged stores written to meanwhile send their changelog records
 * through that collector. This store is such a cached store, whose cache is the processor's pending
 * changes. The interface lives in Kafka Streams' internals (checked against Kafka 4.3.1;
 * LedgerTopologyIntegrationTest and the crash tests would catch a change).
 */
public final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

  /** What to do before a commit, and when the task's state is reset. */
  public interface Listener {
    void beforeCommit();

    void reset();
  }

  private final String name;
  private Listener listener;
  private boolean open;

  private CommitHook(String name) {
    this.name = name;
  }

  /** A builder of hooks named {@code name}, not logged (there is nothing to restore). */
  public static StoreBuilder<CommitHook> builder(String name) {
    return new StoreBuilder<>() {
      private Map<String, String> config = Map.of();

      @Override
      public StoreBuilder<CommitHook> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<CommitHook> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("a commit hook has nothing to log");
      }

      @Override
      public StoreBuilder<CommitHook> withLoggingDisabled() {
        return this;
      }

      @Override
      public CommitHook build() {
        return new CommitHook(name);
      }

      @Override
      public Map<String, String> logConfig() {
        return config;
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** Sets who is told; the processor of the task calls this in its {@code init}. */
  public void listen(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void flushCache() {
    if (listener != null) {
      listener.beforeCommit();
    }
  }

  @Override
  public void clearCache() {
    if (listener != null) {
      listener.reset();
    }
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean old) {
    return false;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    context.register(root, (key, value) -> {});
    open = true;
  }

  @Override
  public void close() {
    open = false;
    listener = null;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
    return QueryResult.forUnknownQueryType(query, this);
  }

  @Override
  public Position getPosition() {
    return Position.emptyPosition();
  }
}
