package com.portals.ledger.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client's credentials and trust store, from the settings Confluent's clients use: the
 * header it sends, the errors for settings that cannot work, and TLS to a server whose certificate
 * only the given trust store vouches for.
 */
class RegistryAccessTest {

  @TempDir Path dir;

  @Test
  void shouldSendBasicCredentialsOrABearerToken() {
    SchemaRegistryClient basic =
        new SchemaRegistryClient(
            "http://registry:8081",
            RegistryAccess.fromConfig(
                Map.of(RegistryAccess.BASIC_AUTH_USER_INFO, "ledger:s3cret:with-colon")));
    assertThat(basic.request("/subjects").build().headers().firstValue("Authorization"))
        .contains(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("ledger:s3cret:with-colon".getBytes(StandardCharsets.UTF_8)));

    SchemaRegistryClient bearer =
        new SchemaRegistryClient(
            "http://registry:8081",
            RegistryAccess.fromConfig(Map.of(RegistryAccess.BEARER_TOKEN, "tok-123")));
    assertThat(bearer.request("/subjects").build().headers().firstValue("Authorization"))
        .contains("Bearer tok-123");

    SchemaRegistryClient none = new SchemaRegistryClient("http://registry:8081");
    assertThat(none.request("/subjects").build().headers().firstValue("Authorization")).isEmpty();
  }

  @Test
  void shouldRefuseSettingsThatCannotWorkWithoutShowingTheSecret() {
    assertThatThrownBy(
            () ->
                RegistryAccess.fromConfig(
                    Map.of(
                        RegistryAccess.BASIC_AUTH_USER_INFO,
                        "a:b",
                        RegistryAccess.BEARER_TOKEN,
                        "t")))
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                RegistryAccess.fromConfig(
                    Map.of(RegistryAccess.BASIC_AUTH_USER_INFO, "no-colon-secret")))
        .hasMessageContaining("user:password")
        .hasMessageNotContaining("no-colon-secret");
    assertThatThrownBy(
            () ->
                RegistryAccess.fromConfig(
                    Map.of(
                        RegistryAccess.TRUSTSTORE_LOCATION, dir.resolve("missing.p12").toString())))
        .hasMessageContaining(RegistryAccess.TRUSTSTORE_LOCATION)
        .hasMessageContaining("missing.p12");
    assertThat(RegistryAccess.fromConfig(Map.of(RegistryAccess.BEARER_TOKEN, "tok-123")).toString())
        .doesNotContain("tok-123");
  }

  @Test
  void shouldReachAnHttpsRegistryWhoseCertificateOnlyTheTrustStoreVouchesFor() throws Exception {
    Path keys = dir.resolve("server.p12");
    Path cert = dir.resolve("server.cer");
    Path trust = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keys.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-alias",
        "server",
        "-keystore",
        keys.toString(),
        "-storepass",
        "changeit",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "server",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trust.toString(),
        "-storepass",
        "trustpass");

    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keys)));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"error_code\":40403,\"message\":\"Schema not found\"}".getBytes();
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    try {
      SchemaRegistryClient trusting =
          new SchemaRegistryClient(
              url,
              RegistryAccess.fromConfig(
                  Map.of(
                      RegistryAccess.TRUSTSTORE_LOCATION, trust.toString(),
                      RegistryAccess.TRUSTSTORE_PASSWORD, "trustpass",
                      RegistryAccess.TRUSTSTORE_TYPE, "PKCS12")));
      // Over TLS, the server's own answer: the handshake went through.
      assertThatThrownBy(() -> trusting.schemaById(1))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("answered 404");

      SchemaRegistryClient jvmDefault = new SchemaRegistryClient(url);
      assertThatThrownBy(() -> jvmDefault.schemaById(1))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("unreachable");
    } finally {
      server.stop(0);
    }
  }

  private static SSLContext serverContext(Path keys) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keys.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
  }
}
