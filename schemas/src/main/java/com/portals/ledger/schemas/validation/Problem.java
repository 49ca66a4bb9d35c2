package com.portals.ledger.schemas.validation;

/**
 * What is wrong with one field of an event.
 *
 * @param field path of the field, e.g. {@code lines[0].amountCents} (empty for the whole event)
 * @param message the full sentence shown to people, naming the field
 */
public record Problem(String field, String message) {

  @Override
  public String toString() {
    return message;
  }
}
