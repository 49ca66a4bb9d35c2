package com.portals.ledger.app.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The ledger's settings ({@code ledger.*} keys of docs/contract.md "Rules and their defaults", and
 * the wire format): read from a properties file ({@code --config FILE}), then overridden by {@code
 * --set key=value} options, in that order. Unknown keys are kept and passed on (Kafka client and
 * Kafka Streams settings can be given the same way).
 */
public final class Settings {

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** Prefix of environment variables that hold Kafka client settings. */
  public static final String KAFKA_ENV_PREFIX = "LEDGER_KAFKA_";

  /** Reads {@code configFile} (may be null) and applies {@code overrides} ({@code key=value}). */
  public static Settings load(Path configFile, List<String> overrides) {
    return load(Map.of(), configFile, overrides);
  }

  /**
   * Settings from {@code environment} ({@code LEDGER_KAFKA_SASL_JAAS_CONFIG} is {@code
   * sasl.jaas.config}: the rest of the name in lower case, underscores as dots), then {@code
   * configFile} (may be null), then {@code overrides} ({@code key=value}).
   */
  public static Settings load(
      Map<String, String> environment, Path configFile, List<String> overrides) {
    Map<String, String> values = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length()) {
            String key =
                name.substring(KAFKA_ENV_PREFIX.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.');
            values.put(key, value.strip());
          }
        });
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new IllegalArgumentException("--config " + configFile + ": no such file");
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("--config " + configFile + ": " + e.getMessage(), e);
      }
      properties
          .stringPropertyNames()
          .forEach(key -> values.put(key, properties.getProperty(key).strip()));
    }
    for (String override : overrides) {
      int equals = override.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("--set " + override + ": expected key=value");
      }
      values.put(override.substring(0, equals).strip(), override.substring(equals + 1).strip());
    }
    return new Settings(values);
  }

  public static Settings empty() {
    return new Settings(Map.of());
  }

  /** A copy with {@code key} set to {@code value} (null removes it). */
  public Settings with(String key, String value) {
    Map<String, String> copy = new TreeMap<>(values);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return new Settings(copy);
  }

  public String get(String key, String defaultValue) {
    return values.getOrDefault(key, defaultValue);
  }

  public Map<String, String> asMap() {
    return values;
  }
}
