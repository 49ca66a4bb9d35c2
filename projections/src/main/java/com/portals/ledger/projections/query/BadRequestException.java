package com.portals.ledger.projections.query;

/** A request the API cannot answer as asked; the message says what to change (HTTP 400). */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}
