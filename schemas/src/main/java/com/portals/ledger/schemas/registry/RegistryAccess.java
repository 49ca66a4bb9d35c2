package com.portals.ledger.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the ledger reaches a secured Schema Registry, from the settings Confluent's clients use:
 * basic authentication ({@value #BASIC_AUTH_USER_INFO}, {@code user:password}) or a bearer token
 * ({@value #BEARER_TOKEN}), and a trust store for a registry whose TLS certificate the JVM does not
 * trust by itself ({@value #TRUSTSTORE_LOCATION}, {@value #TRUSTSTORE_PASSWORD}, {@value
 * #TRUSTSTORE_TYPE}).
 *
 * @param authorization the {@code Authorization} header to send, if any
 * @param ssl the TLS context for {@code https://} registries, if not the JVM's own
 */
public record RegistryAccess(Optional<String> authorization, Optional<SSLContext> ssl) {

  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String BEARER_TOKEN = "schema.registry.bearer.auth.token";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

  /** No credentials, the JVM's trust store. */
  public static final RegistryAccess NONE = new RegistryAccess(Optional.empty(), Optional.empty());

  /**
   * The access the settings describe; an error that names the setting for one that cannot work
   * (both kinds of credentials, a user info without a colon, an unreadable trust store).
   */
  public static RegistryAccess fromConfig(Map<String, ?> config) {
    String userInfo = text(config, BASIC_AUTH_USER_INFO);
    String token = text(config, BEARER_TOKEN);
    if (userInfo != null && token != null) {
      throw new IllegalArgumentException(
          "set " + BASIC_AUTH_USER_INFO + " or " + BEARER_TOKEN + ", not both");
    }
    Optional<String> authorization = Optional.empty();
    if (userInfo != null) {
      if (!userInfo.contains(":")) {
        throw new IllegalArgumentException(
            BASIC_AUTH_USER_INFO + " must be user:password (the value is not shown)");
      }
      authorization =
          Optional.of(
              "Basic "
                  + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    } else if (token != null) {
      authorization = Optional.of("Bearer " + token);
    }
    String location = text(config, TRUSTSTORE_LOCATION);
    Optional<SSLContext> ssl =
        location == null
            ? Optional.empty()
            : Optional.of(
                trusting(
                    Path.of(location),
                    text(config, TRUSTSTORE_PASSWORD),
                    text(config, TRUSTSTORE_TYPE)));
    return new RegistryAccess(authorization, ssl);
  }

  private static SSLContext trusting(Path location, String password, String type) {
    String storeType = type == null ? KeyStore.getDefaultType() : type;
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance(storeType);
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          TRUSTSTORE_LOCATION
              + " '"
              + location
              + "' ("
              + storeType
              + ") cannot be read as a trust store: "
              + e.getMessage()
              + " (check "
              + TRUSTSTORE_PASSWORD
              + " and "
              + TRUSTSTORE_TYPE
              + ")",
          e);
    }
  }

  private static String text(Map<String, ?> config, String key) {
    Object value = config.get(key);
    return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).strip();
  }

  /** Hides the credentials: a record's own toString would print them. */
  @Override
  public String toString() {
    return "RegistryAccess[authorization="
        + authorization
            .map(header -> header.substring(0, header.indexOf(' ')) + " ***")
            .orElse("none")
        + ", ssl="
        + (ssl.isPresent() ? "trust store" : "JVM default")
        + "]";
  }
}
