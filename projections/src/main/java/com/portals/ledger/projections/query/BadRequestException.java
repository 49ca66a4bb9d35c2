package com.portals.ledger.projections.query;

/**
 * A request the API cannot answer as asked; the message says what to change (HTTP 400), the code
 * which rule it broke (docs/http-api.md "Errors").
 */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A query parameter out of its values: the message names it. */
  public static final String INVALID_PARAMETER = "INVALID_PARAMETER";

  private final String code;

  public BadRequestException(String message) {
    this(INVALID_PARAMETER, message);
  }

  public BadRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** A {@code cursor} that is not one of the list's own. */
  public static BadRequestException invalidCursor() {
    return new BadRequestException(
        "INVALID_CURSOR",
        "'cursor' is not a cursor of this list: use the Link header of the page before, or"
            + " leave it out for the first page");
  }

  public String code() {
    return code;
  }
}
