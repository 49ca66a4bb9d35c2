package com.portals.ledger.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client for the few endpoints of the Confluent Schema Registry REST API that the wire
 * format needs: register a schema under a subject, fetch a schema by id, set a subject's
 * compatibility. Answers are cached: an id never changes its schema, and registering the same
 * schema under the same subject returns the same id.
 *
 * <p>Works against any server speaking that API: Confluent Schema Registry, Redpanda, and Apicurio
 * Registry's compatibility API (base URL {@code http://host:port/apis/ccompat/v7}). Confluent's own
 * client is not on Maven Central, hence this class.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUri;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final RegistryAccess access;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** A client for the registry at {@code baseUrl} (no trailing path beyond the API root). */
  public SchemaRegistryClient(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(15));
  }

  public SchemaRegistryClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this(baseUrl, connectTimeout, requestTimeout, RegistryAccess.NONE);
  }

  /**
   * A client for a registry that wants credentials or a trust store of its own ({@code access}).
   */
  public SchemaRegistryClient(String baseUrl, RegistryAccess access) {
    this(baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(15), access);
  }

  public SchemaRegistryClient(
      String baseUrl, Duration connectTimeout, Duration requestTimeout, RegistryAccess access) {
    Objects.requireNonNull(baseUrl, "schema.registry.url");
    String trimmed = baseUrl.strip();
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    try {
      this.baseUri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schema.registry.url '" + baseUrl + "' is not a URL", e);
    }
    if (baseUri.getScheme() == null || !baseUri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "schema.registry.url '" + baseUrl + "' must start with http:// or https://");
    }
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
    access.ssl().ifPresent(http::sslContext);
    this.http = http.build();
    this.requestTimeout = requestTimeout;
    this.access = access;
  }

  public String baseUrl() {
    return baseUri.toString();
  }

  /**
   * Registers {@code schema} under {@code subject} (a no-op on the server if it is already there)
   * and returns its global id.
   *
   * @throws SchemaRegistryException with {@link SchemaRegistryException#isIncompatible()} when the
   *     subject's compatibility rule refuses it
   */
  public int register(String subject, Schema schema) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          ObjectNode body = JSON.createObjectNode();
          body.put("schemaType", "AVRO");
          body.put("schema", schema.toString());
          JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
          int id = answer.path("id").asInt(-1);
          if (id < 0) {
            throw new SchemaRegistryException(
                "registry answered registration of subject '" + subject + "' without an id",
                200,
                -1,
                null);
          }
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /**
   * The schema with global id {@code id}.
   *
   * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} for an
   *     unknown id
   */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        key -> {
          JsonNode answer = send("GET", "/schemas/ids/" + id, null);
          String text = answer.path("schema").asText(null);
          if (text == null) {
            throw new SchemaRegistryException(
                "registry answered schema id " + id + " without a schema", 200, -1, null);
          }
          try {
            return new Schema.Parser().parse(text);
          } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                "schema id " + id + " is not an Avro schema: " + e.getMessage(), 200, -1, e);
          }
        });
  }

  /** Sets the compatibility rule of a subject, e.g. {@code BACKWARD}. */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = JSON.createObjectNode();
    body.put("compatibility", level);
    send("PUT", "/config/" + encode(subject), body);
  }

  /** The request for {@code path}, with the credentials of {@link RegistryAccess}. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUri + path))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    access.authorization().ifPresent(header -> request.header("Authorization", header));
    return request;
  }

  private JsonNode send(String method, String path, JsonNode body) {
    HttpRequest.Builder request = request(path);
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = parse(response.body());
      if (response.statusCode() / 100 != 2) {
        String message = answer.path("message").asText(response.body());
        throw new SchemaRegistryException(
            method
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + (message.isBlank() ? "(no message)" : message),
            response.statusCode(),
            answer.path("error_code").asInt(-1),
            null);
      }
      return answer;
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry at " + baseUri + " is unreachable: " + e, 0, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted talking to " + baseUri, 0, -1, e);
    }
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", text);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
