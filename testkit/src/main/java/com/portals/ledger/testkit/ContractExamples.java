package com.portals.ledger.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The event examples of docs/contract.md, one JSON line each, in the order the contract lists them.
 */
public final class ContractExamples {

  private ContractExamples() {}

  /** Every example line. */
  public static List<String> lines() {
    try (InputStream in = ContractExamples.class.getResourceAsStream("/contract/examples.jsonl")) {
      if (in == null) {
        throw new IllegalStateException("contract/examples.jsonl is missing from the testkit jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example line of {@code type}. */
  public static String of(String type) {
    return lines().stream()
        .filter(line -> line.startsWith("{\"type\":\"" + type + "\""))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no contract example of type " + type));
  }
}
