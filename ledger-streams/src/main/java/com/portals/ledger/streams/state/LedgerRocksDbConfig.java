package com.portals.ledger.streams.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.CompactionStyle;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB settings of every store of the ledger's applications: one block cache and one write
 * buffer budget for all the stores of the process, instead of a cache and memtables per store
 * instance (a task has seven stores; six tasks would otherwise reserve several hundred MiB each).
 * Level compaction, so that queue-like stores whose head is deleted (buffers, schedules) do not
 * leave tombstones for scans to skip.
 *
 * <p>Sizes: {@value #CACHE_BYTES_CONFIG} (default 64 MiB, of which half may hold memtables) and
 * {@value #WRITE_BUFFER_BYTES_CONFIG} (default 16 MiB per memtable).
 */
public final class LedgerRocksDbConfig implements RocksDBConfigSetter {

  /** Bytes of the block cache shared by all stores of the process. */
  public static final String CACHE_BYTES_CONFIG = "ledger.rocksdb.cache-bytes";

  /** Bytes of one memtable. */
  public static final String WRITE_BUFFER_BYTES_CONFIG = "ledger.rocksdb.write-buffer-bytes";

  private static final long DEFAULT_CACHE_BYTES = 64L << 20;
  private static final long DEFAULT_WRITE_BUFFER_BYTES = 16L << 20;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private static synchronized void init(Map<String, Object> configs) {
    if (cache == null) {
      long total = longSetting(configs, CACHE_BYTES_CONFIG, DEFAULT_CACHE_BYTES);
      cache = new LRUCache(total, -1, false, 0.1);
      writeBuffers = new WriteBufferManager(total / 2, cache);
    }
  }

  private static long longSetting(Map<String, Object> configs, String key, long fallback) {
    Object value = configs.get(key);
    return value == null ? fallback : Long.parseLong(String.valueOf(value).trim());
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    init(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBuffers);
    options.setWriteBufferSize(
        longSetting(configs, WRITE_BUFFER_BYTES_CONFIG, DEFAULT_WRITE_BUFFER_BYTES));
    options.setMaxWriteBufferNumber(2);
    options.setCompactionStyle(CompactionStyle.LEVEL);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager are shared by every store of the process and live
    // as long as it does.
  }
}
