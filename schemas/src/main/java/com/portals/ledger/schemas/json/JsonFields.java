package com.portals.ledger.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portals.ledger.schemas.validation.Problem;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads typed fields out of one JSON object and collects every structural problem (missing field,
 * wrong JSON type, unparseable instant, unknown enum symbol) under the field's path, so that a bad
 * line is reported completely at once.
 */
final class JsonFields {

  /** The field whose data messages never show. */
  private static final String BANK_ACCOUNT = "bankAccount";

  private final ObjectNode node;
  private final String prefix;
  private final List<Problem> problems;

  JsonFields(ObjectNode node, String prefix, List<Problem> problems) {
    this.node = node;
    this.prefix = prefix;
    this.problems = problems;
  }

  private void problem(String fieldPath, String message) {
    problems.add(new Problem(fieldPath, message));
  }

  /**
   * What a bad value was, for the message: the value itself, or only its kind under {@code
   * bankAccount}, whose data must never appear in a message whole (it reaches rejections, logs and
   * API answers).
   */
  private String got(String field, JsonNode value) {
    if (!path(field).startsWith(BANK_ACCOUNT)) {
      return "got " + value;
    }
    return switch (value.getNodeType()) {
      case ARRAY -> "got an array";
      case OBJECT -> "got an object";
      case NUMBER -> "got a number";
      case STRING -> "got a string";
      case BOOLEAN -> "got a boolean";
      default -> "got " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  String path(String field) {
    return prefix + field;
  }

  private JsonNode present(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  String requiredString(String field) {
    JsonNode value = present(field);
    if (value == null) {
      problem(path(field), "missing field '" + path(field) + "'");
      return "";
    }
    return string(field, value);
  }

  String optionalString(String field) {
    JsonNode value = present(field);
    return value == null ? null : string(field, value);
  }

  private String string(String field, JsonNode value) {
    if (!value.isTextual()) {
      problem(path(field), "field '" + path(field) + "' must be a string, " + got(field, value));
      return "";
    }
    return value.textValue();
  }

  long requiredLong(String field) {
    JsonNode value = present(field);
    if (value == null) {
      problem(path(field), "missing field '" + path(field) + "'");
      return 0;
    }
    return integral(field, value);
  }

  Long optionalLong(String field) {
    JsonNode value = present(field);
    return value == null ? null : integral(field, value);
  }

  int requiredInt(String field) {
    return toInt(field, requiredLong(field));
  }

  Integer optionalInt(String field) {
    Long value = optionalLong(field);
    return value == null ? null : toInt(field, value);
  }

  private int toInt(String field, long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problem(path(field), "field '" + path(field) + "' is out of range, got " + value);
      return 0;
    }
    return (int) value;
  }

  private long integral(String field, JsonNode value) {
    if (!value.isIntegralNumber()) {
      problem(path(field), "field '" + path(field) + "' must be an integer, " + got(field, value));
      return 0;
    }
    if (!value.canConvertToLong()) {
      problem(path(field), "field '" + path(field) + "' is out of range, " + got(field, value));
      return 0;
    }
    return value.longValue();
  }

  Instant requiredInstant(String field) {
    JsonNode value = present(field);
    if (value == null) {
      problem(path(field), "missing field '" + path(field) + "'");
      return Instant.EPOCH;
    }
    if (!value.isTextual()) {
      problem(
          path(field),
          "field '" + path(field) + "' must be an ISO-8601 instant string, " + got(field, value));
      return Instant.EPOCH;
    }
    String text = value.textValue();
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException notUtc) {
      try {
        instant = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        problem(
            path(field),
            "field '"
                + path(field)
                + "': '"
                + text
                + "' is not an ISO-8601 instant (e.g. 2026-01-10T10:00:00Z)");
        return Instant.EPOCH;
      }
    }
    if (instant.getNano() % 1_000_000 != 0) {
      problem(
          path(field),
          "field '"
              + path(field)
              + "': '"
              + text
              + "' is more precise than a millisecond, which the ledger keeps");
    }
    return instant;
  }

  <E extends Enum<E>> E optionalEnum(String field, Class<E> type) {
    String text = optionalString(field);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      problem(
          path(field),
          "field '"
              + path(field)
              + "': unknown "
              + field
              + " '"
              + text
              + "' (known: "
              + Arrays.stream(type.getEnumConstants())
                  .map(Enum::name)
                  .collect(Collectors.joining(", "))
              + ")");
      return null;
    }
  }

  /** A nested object, read by {@code reader}; null (and a problem) if missing or not an object. */
  <T> T requiredObject(String field, Function<JsonFields, T> reader) {
    JsonNode value = present(field);
    if (value == null) {
      problem(path(field), "missing field '" + path(field) + "'");
      return null;
    }
    if (!value.isObject()) {
      problem(path(field), "field '" + path(field) + "' must be an object, " + got(field, value));
      return null;
    }
    return reader.apply(new JsonFields((ObjectNode) value, path(field) + ".", problems));
  }

  /** Every element of an array of objects, read by {@code reader}. */
  <T> List<T> requiredObjectArray(String field, Function<JsonFields, T> reader) {
    JsonNode value = present(field);
    if (value == null) {
      problem(path(field), "missing field '" + path(field) + "'");
      return List.of();
    }
    if (!value.isArray()) {
      problem(path(field), "field '" + path(field) + "' must be an array, " + got(field, value));
      return List.of();
    }
    List<T> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = path(field) + "[" + i + "]";
      if (!element.isObject()) {
        problem(elementPath, "field '" + elementPath + "' must be an object, got " + element);
        continue;
      }
      result.add(reader.apply(new JsonFields((ObjectNode) element, elementPath + ".", problems)));
    }
    return result;
  }
}
