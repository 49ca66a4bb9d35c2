package com.portals.ledger.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;

/**
 * The API's OpenAPI document as JSON schemas to hold real answers to: every object schema closed to
 * the fields it names (the document leaves them open, since clients ignore fields they do not know;
 * the tests hold the API to what it documents), formats such as date-time asserted.
 */
final class OpenApiSchemas {

  /** Where the validator finds the document (never fetched: it is given). */
  private static final String URI = "https://ledger.invalid/openapi.json";

  private final JsonNode document;
  private final SchemaRegistry registry;

  /** The schemas of {@code served}, the document as {@code GET /openapi.json} answers it. */
  OpenApiSchemas(JsonNode served) {
    this.document = served.deepCopy();
    close(document);
    this.registry =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi31(), schemas -> schemas.schemas(Map.of(URI, document.toString())));
  }

  JsonNode document() {
    return document;
  }

  /** The schema of {@code operation}'s ({@code "GET /path/{id}"}) answer with {@code status}. */
  Schema answer(String operation, int status, String mediaType) {
    String[] methodAndPath = operation.split(" ", 2);
    JsonNode response =
        resolved(
            document
                .path("paths")
                .path(methodAndPath[1])
                .path(methodAndPath[0].toLowerCase(java.util.Locale.ROOT))
                .path("responses")
                .path(String.valueOf(status)));
    JsonNode schema = response.path("content").path(mediaType).path("schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException(
          "the document has no " + mediaType + " answer " + status + " for " + operation);
    }
    return schema(schema);
  }

  /** The schema {@code schema} of the document, its references resolved in the document. */
  Schema schema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    absolute(copy);
    return registry.getSchema(copy);
  }

  /** {@code node}, or what it refers to in the document if it is a reference ({@code #/...}). */
  JsonNode resolved(JsonNode node) {
    String ref = node.path("$ref").asText();
    return ref.startsWith("#/") ? document.at(ref.substring(1)) : node;
  }

  /** What {@code schema} finds wrong with {@code body}, date-times and other formats included. */
  static List<String> problems(Schema schema, JsonNode body) {
    return schema
        .validate(
            body.toString(),
            InputFormat.JSON,
            context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
        .stream()
        .map(Object::toString)
        .toList();
  }

  private static void close(JsonNode node) {
    if (node instanceof ObjectNode object
        && object.path("properties").isObject()
        && !object.has("additionalProperties")) {
      object.put("additionalProperties", false);
    }
    node.forEach(OpenApiSchemas::close);
  }

  private static void absolute(JsonNode node) {
    if (node instanceof ObjectNode object && object.path("$ref").asText().startsWith("#")) {
      object.put("$ref", URI + object.path("$ref").asText());
    }
    node.forEach(OpenApiSchemas::absolute);
  }
}
