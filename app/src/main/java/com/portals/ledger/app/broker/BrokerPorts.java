package com.portals.ledger.app.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * The two loopback ports of the embedded broker: {@code broker} for clients (PLAINTEXT) and {@code
 * controller} for the KRaft quorum.
 */
record BrokerPorts(int broker, int controller) {

  static final String HOST = "127.0.0.1";

  BrokerPorts {
    if (broker <= 0 || broker > 65535 || controller <= 0 || controller > 65535) {
      throw new IllegalArgumentException("ports out of range: " + broker + ", " + controller);
    }
    if (broker == controller) {
      throw new IllegalArgumentException("broker and controller need two ports, got " + broker);
    }
  }

  /**
   * Two ports that are free on 127.0.0.1 right now. Both sockets are open at the same time, so the
   * ports differ. They are closed before the broker binds them, so another process may take one in
   * between; the broker then fails to bind and {@link EmbeddedBroker#start} retries once with new
   * ports.
   */
  static BrokerPorts pickFree() throws IOException {
    InetAddress loopback = loopback();
    try (ServerSocket first = new ServerSocket(0, 1, loopback);
        ServerSocket second = new ServerSocket(0, 1, loopback)) {
      return new BrokerPorts(first.getLocalPort(), second.getLocalPort());
    }
  }

  static InetAddress loopback() throws UnknownHostException {
    // Not InetAddress.getLoopbackAddress(): that may be ::1, and the broker listens on IPv4 only.
    return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
  }

  /** The address clients use: {@code 127.0.0.1:<broker>}. */
  String bootstrapServers() {
    return HOST + ":" + broker;
  }
}
