package com.portals.ledger.schemas;

import com.portals.ledger.avro.events.ClickRecorded;
import com.portals.ledger.avro.events.ClockTick;
import com.portals.ledger.avro.events.CommissionRateSet;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Handover;
import com.portals.ledger.avro.internal.OrderRecord;
import com.portals.ledger.avro.internal.SessionClicks;
import com.portals.ledger.avro.internal.WithdrawalRecord;
import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.JournalEntry;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.avro.ledger.Rejection;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Avro schema the ledger ships: the records written to topics (current versions, from the
 * generated classes) and their earlier versions (from {@code avro-history/} in this jar).
 *
 * <p>The single-object decoder resolves a writer's fingerprint against {@link #store()}, so data
 * written with any version listed here stays readable.
 */
public final class SchemaCatalog {

  /**
   * Records that are the value of a Kafka record (public topics, internal topics and state store
   * changelogs). Nested types are reached through them.
   */
  private static final List<Class<? extends SpecificRecord>> WIRE_RECORDS =
      List.of(
          ClickRecorded.class,
          OrderEvent.class,
          CommissionRateSet.class,
          WithdrawalEvent.class,
          ClockTick.class,
          JournalEntry.class,
          Balance.class,
          WithdrawalDecision.class,
          Rejection.class,
          OrderState.class,
          Handover.class,
          Buffered.class,
          SessionClicks.class,
          OrderRecord.class,
          AccountState.class,
          WithdrawalRecord.class);

  private static final String HISTORY_INDEX = "/avro-history/index.txt";

  private static final List<Class<? extends SpecificRecord>> registered =
      Collections.synchronizedList(new ArrayList<>(WIRE_RECORDS));

  private SchemaCatalog() {}

  /** An earlier version of a wire record's schema, as released. */
  public record HistoricSchema(String fullName, int version, Schema schema) {
    @Override
    public String toString() {
      return fullName + " v" + version;
    }
  }

  /**
   * Adds a wire record defined outside this module (internal records of a topology). Its classes
   * become trusted for decoding and its schema joins {@link #store()}.
   */
  public static void register(Class<? extends SpecificRecord> wireRecord) {
    synchronized (registered) {
      if (!registered.contains(wireRecord)) {
        registered.add(wireRecord);
      }
    }
    AvroTrust.trust(namedTypes(List.of(currentSchema(wireRecord))));
  }

  /** The records that travel as Kafka record values, current versions. */
  public static List<Class<? extends SpecificRecord>> wireRecords() {
    synchronized (registered) {
      return List.copyOf(registered);
    }
  }

  /** The current schema of a generated record class. */
  public static Schema currentSchema(Class<? extends SpecificRecord> type) {
    return SpecificData.get().getSchema(type);
  }

  /** Earlier versions of wire records, in the order of {@code avro-history/index.txt}. */
  public static List<HistoricSchema> history() {
    List<HistoricSchema> result = new ArrayList<>();
    for (String path : historyPaths()) {
      String[] parts = path.split("/");
      if (parts.length != 2 || !parts[1].matches("v\\d+\\.avsc")) {
        throw new IllegalStateException(
            "avro-history/index.txt: '" + path + "' is not <full.Name>/v<N>.avsc");
      }
      int version = Integer.parseInt(parts[1].substring(1, parts[1].length() - ".avsc".length()));
      Schema schema = parse("/avro-history/" + path);
      if (!schema.getFullName().equals(parts[0])) {
        throw new IllegalStateException(
            "avro-history/" + path + " defines " + schema.getFullName() + ", not " + parts[0]);
      }
      result.add(new HistoricSchema(parts[0], version, schema));
    }
    return result;
  }

  /** Lines of the history index: paths relative to {@code avro-history/}. */
  public static List<String> historyPaths() {
    try (InputStream in = SchemaCatalog.class.getResourceAsStream(HISTORY_INDEX)) {
      if (in == null) {
        throw new IllegalStateException(HISTORY_INDEX + " is missing from the schemas jar");
      }
      List<String> paths = new ArrayList<>();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank() && !line.startsWith("#")) {
            paths.add(line.strip());
          }
        }
      }
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A store holding every current and historic wire schema, for single-object decoding. */
  public static SchemaStore store() {
    SchemaStore.Cache cache = new SchemaStore.Cache();
    for (Class<? extends SpecificRecord> type : wireRecords()) {
      cache.addSchema(currentSchema(type));
    }
    for (HistoricSchema historic : history()) {
      cache.addSchema(historic.schema());
    }
    return cache;
  }

  /**
   * Full names of every named type (records, enums, fixed) reachable from the given schemas; for
   * generated code these are also the class names.
   */
  static Set<String> namedTypes(List<Schema> roots) {
    Map<String, Schema> seen = new LinkedHashMap<>();
    for (Schema root : roots) {
      collect(root, seen);
    }
    return seen.keySet();
  }

  /** Names of all generated classes of the built-in wire records. */
  static Set<String> builtInGeneratedClasses() {
    List<Schema> roots = new ArrayList<>();
    for (Class<? extends SpecificRecord> type : WIRE_RECORDS) {
      roots.add(currentSchema(type));
    }
    return namedTypes(roots);
  }

  private static void collect(Schema schema, Map<String, Schema> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(field -> collect(field.schema(), seen));
        }
      }
      case ENUM, FIXED -> seen.putIfAbsent(schema.getFullName(), schema);
      case ARRAY -> collect(schema.getElementType(), seen);
      case MAP -> collect(schema.getValueType(), seen);
      case UNION -> schema.getTypes().forEach(member -> collect(member, seen));
      default -> {
        // primitive types have no class of their own
      }
    }
  }

  private static Schema parse(String resource) {
    try (InputStream in = SchemaCatalog.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is listed in the index but missing");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
