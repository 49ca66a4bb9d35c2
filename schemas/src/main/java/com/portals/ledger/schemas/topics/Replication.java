package com.portals.ledger.schemas.topics;

import java.util.Map;

/**
 * How many copies of every topic the ledger creates are kept, and how many must have a write before
 * it counts: the journal is kept forever, so on a cluster of three or more brokers it is never on
 * one disk only. Settings {@value #FACTOR} and {@value #MIN_INSYNC}; by default 3 and 2 on a
 * cluster of at least three brokers, 1 and 1 on fewer.
 *
 * @param factor replicas of each partition
 * @param minInsync {@code min.insync.replicas} of each topic: with producers' {@code acks=all}, a
 *     write fails rather than live on fewer copies
 */
public record Replication(short factor, int minInsync) {

  /** Setting: replication factor of every topic the ledger creates. */
  public static final String FACTOR = "ledger.topics.replication-factor";

  /** Setting: {@code min.insync.replicas} of every topic the ledger creates. */
  public static final String MIN_INSYNC = "ledger.topics.min-insync-replicas";

  /** One copy: a single broker, and tests. */
  public static final Replication SINGLE = new Replication((short) 1, 1);

  public Replication {
    if (factor < 1) {
      throw new IllegalArgumentException(FACTOR + " must be at least 1, got " + factor);
    }
    if (minInsync < 1 || minInsync > factor) {
      throw new IllegalArgumentException(
          MIN_INSYNC
              + " must be between 1 and the replication factor "
              + factor
              + ", got "
              + minInsync);
    }
  }

  /**
   * The replication for a cluster of {@code brokers}, from {@code settings} where given.
   *
   * @throws IllegalArgumentException if a setting is not a number, or asks for more replicas than
   *     the cluster has brokers
   */
  public static Replication forCluster(int brokers, Map<String, String> settings) {
    short factor = (short) number(settings, FACTOR, brokers >= 3 ? 3 : 1);
    if (factor > brokers) {
      throw new IllegalArgumentException(
          FACTOR
              + "="
              + factor
              + " but the cluster has "
              + brokers
              + (brokers == 1 ? " broker" : " brokers")
              + ": set it to at most "
              + brokers);
    }
    int minInsync = number(settings, MIN_INSYNC, factor >= 3 ? 2 : 1);
    return new Replication(factor, minInsync);
  }

  private static int number(Map<String, String> settings, String key, int fallback) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.strip());
      if (number > Short.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "replication factor " + factor + ", min.insync.replicas " + minInsync;
  }
}
