package com.portals.ledger.app.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stands in for {@code ./ledger run} in {@link EmbeddedBrokerIntegrationTest}: {@code
 * BrokerHostMain <data-dir>} starts an {@link EmbeddedBroker}, prints its address, and keeps it
 * running until its own standard input ends, or until it is killed, which is what the test does.
 */
public final class BrokerHostMain {

  private BrokerHostMain() {}

  /**
   * Runs the host.
   *
   * @param args the data directory, alone
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    try (EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]), Duration.ofSeconds(90))) {
      System.out.println(broker.bootstrapServers());
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
