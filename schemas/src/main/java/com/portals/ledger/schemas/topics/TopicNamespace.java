package com.portals.ledger.schemas.topics;

import java.util.Objects;

/**
 * Where a set of the ledger's topics lives: the contract names, or the same names behind a prefix.
 * A replay writes its rebuilt ledger to prefixed output topics next to the live ones, and tests
 * sharing one broker give each test its own prefix.
 */
public record TopicNamespace(String prefix) {

  /** The contract's own topic names. */
  public static final TopicNamespace CONTRACT = new TopicNamespace("");

  public TopicNamespace {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty() && !prefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          "a topic prefix holds letters, digits, '.', '_' and '-' only, got '" + prefix + "'");
    }
  }

  /** {@code prefix} followed by a dot, unless it is empty or ends in a separator. */
  public static TopicNamespace prefixed(String prefix) {
    if (prefix.isEmpty() || prefix.endsWith(".") || prefix.endsWith("-")) {
      return new TopicNamespace(prefix);
    }
    return new TopicNamespace(prefix + ".");
  }

  /** The name of {@code topic} in this namespace. */
  public String name(Topic<?> topic) {
    return prefix + topic.name();
  }
}
