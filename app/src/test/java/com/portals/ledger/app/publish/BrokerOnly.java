package com.portals.ledger.app.publish;

import com.portals.ledger.app.broker.EmbeddedBroker;
import com.portals.ledger.schemas.topics.TopicAdmin;
import com.portals.ledger.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The broker of {@code ledger run} and the ledger's topics, without the ledger: what {@code ledger
 * publish} is measured against, so that the figures are the publisher's, not the topology's, which
 * would share the machine's cores. Writes {@code DIR/bootstrap-servers} like {@code run}, so that
 * {@code ledger publish --data-dir DIR} finds it; stops on Ctrl-C.
 *
 * <pre>{@code
 * java -cp app/target/test-classes:app/target/ledger-app.jar:'app/target/lib/*' \
 *     com.portals.ledger.app.publish.BrokerOnly DIR [PARTITIONS]
 * }</pre>
 */
public final class BrokerOnly {

  private BrokerOnly() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: BrokerOnly DIR [PARTITIONS]");
      System.exit(2);
    }
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new TopicAdmin(admin).ensure(Topics.all(), partitions, (short) 1);
    }
    System.out.println("broker at " + broker.bootstrapServers() + "; stop with Ctrl-C");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
