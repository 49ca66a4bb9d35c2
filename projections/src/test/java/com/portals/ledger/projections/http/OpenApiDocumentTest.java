package com.portals.ledger.projections.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.testkit.ApiClient;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code GET /openapi.json}, projections/src/main/resources/openapi.json)
 * against the routes the API really registers: every route but the {@code /internal/...} ones is
 * documented and nothing else is; what the document says about tokens and roles is what the API
 * does. The shapes of the answers are checked against a running ledger in HttpApiIntegrationTest.
 */
class OpenApiDocumentTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** A token of each role; the affiliate's is aff-1's, the affiliate the requests name. */
  private static final Map<String, String> TOKENS =
      Map.of(
          "finance", "finance-token-0123456789",
          "ingest", "ingest-token-0123456789",
          "affiliate", "aff1-token-0123456789",
          "metrics", "metrics-token-0123456789");

  private final ApiTokens tokens =
      ApiTokens.parse(
          List.of(
              TOKENS.get("finance") + " finance",
              TOKENS.get("ingest") + " ingest",
              TOKENS.get("affiliate") + " affiliate aff-1",
              TOKENS.get("metrics") + " metrics"),
          "test");

  /** An API whose ledger has not started: no backend attached, health down. */
  private final LedgerApi api =
      new LedgerApi(tokens, () -> new Health(false, Map.of("streams", "CREATED")));

  private final LedgerHttpServer server = LedgerHttpServer.start("127.0.0.1", 0, api);
  private final ApiClient client = new ApiClient(server::port);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldBeAnOpenApi31DocumentServedWithoutAToken() throws Exception {
    byte[] resource;
    try (InputStream in = LedgerApi.class.getResourceAsStream(LedgerApi.OPENAPI_RESOURCE)) {
      assertThat(in).as(LedgerApi.OPENAPI_RESOURCE).isNotNull();
      resource = in.readAllBytes();
    }
    JsonNode document = JSON.readTree(resource);

    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(document.path("info").path("title").isTextual()).isTrue();
    assertThat(document.path("info").path("version").isTextual()).isTrue();
    assertThat(document.path("components").path("schemas").path("Error").path("required"))
        .contains(
            JSON.getNodeFactory().textNode("error"),
            JSON.getNodeFactory().textNode("code"),
            JSON.getNodeFactory().textNode("detail"));

    HttpResponse<String> served = client.get("/openapi.json", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(JSON.readTree(served.body())).isEqualTo(document);
  }

  @Test
  void shouldDocumentEveryRouteTheApiRegistersButTheInternalOnesAndNoOther() throws Exception {
    List<String> registered = server.routes();
    Set<String> documentable = new TreeSet<>();
    Set<String> internal = new TreeSet<>();
    for (String route : registered) {
      (route.contains(" /internal/") ? internal : documentable).add(route);
    }

    // The route list is real: the server answers from it, internal routes included.
    assertThat(registered).contains("GET /health", "POST /events", "GET /openapi.json");
    assertThat(internal).isNotEmpty();
    assertThat(documentedOperations())
        .as("operations of openapi.json (left) against routes of LedgerApi.routes (right)")
        .containsExactlyInAnyOrderElementsOf(documentable);
  }

  /**
   * Each operation without a security requirement answers without a token; each with one answers
   * 401 without a token, 403 to every role it does not name, and neither to the roles it names
   * (here 503 or 400: the ledger has not started). Every answer is one the operation documents.
   */
  @Test
  void shouldAnswerAsTheDocumentedSecurityAndRolesSay() throws Exception {
    JsonNode document = document();
    int checked = 0;
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
        if (!METHODS.contains(entry.getKey())) {
          continue;
        }
        String method = entry.getKey().toUpperCase(Locale.ROOT);
        String uri = path.getKey().replace("{id}", "aff-1");
        String operation = method + " " + path.getKey();
        JsonNode responses = entry.getValue().path("responses");
        JsonNode security = entry.getValue().path("security");
        assertThat(security.isArray()).as(operation + " names its security (or [])").isTrue();

        HttpResponse<String> anonymous = send(method, uri, null);
        assertThat(responses.has(String.valueOf(anonymous.statusCode())))
            .as(operation + " without a token answered " + anonymous.statusCode())
            .isTrue();
        if (security.isEmpty()) {
          assertThat(anonymous.statusCode()).as(operation).isNotIn(401, 403);
          checked++;
          continue;
        }
        assertThat(anonymous.statusCode()).as(operation + " without a token").isEqualTo(401);
        Set<String> roles = new TreeSet<>();
        security.get(0).path("bearer").forEach(role -> roles.add(role.asText()));
        assertThat(roles).as(operation + " names its roles").isNotEmpty();
        assertThat(TOKENS.keySet()).as(operation).containsAll(roles);
        for (Map.Entry<String, String> token : TOKENS.entrySet()) {
          HttpResponse<String> answer = send(method, uri, token.getValue());
          String as = operation + " as " + token.getKey() + ": " + answer.body();
          assertThat(responses.has(String.valueOf(answer.statusCode())))
              .as(as + " (status not documented)")
              .isTrue();
          if (roles.contains(token.getKey())) {
            assertThat(answer.statusCode()).as(as).isNotIn(401, 403);
          } else {
            assertThat(answer.statusCode()).as(as).isEqualTo(403);
          }
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(documentedOperations().size());
  }

  private HttpResponse<String> send(String method, String uri, String token) throws Exception {
    HttpRequest.Builder request = client.request(uri, token);
    return client.send(
        method.equals("POST")
            ? request.POST(HttpRequest.BodyPublishers.ofString("{}"))
            : request.method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** "METHOD /path" of every operation the document describes. */
  private static List<String> documentedOperations() throws Exception {
    List<String> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
      for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
        if (METHODS.contains(entry.getKey())) {
          operations.add(entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    return operations;
  }

  private static JsonNode document() throws Exception {
    try (InputStream in = LedgerApi.class.getResourceAsStream(LedgerApi.OPENAPI_RESOURCE)) {
      return JSON.readTree(in);
    }
  }
}
