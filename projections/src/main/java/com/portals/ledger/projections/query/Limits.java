package com.portals.ledger.projections.query;

/** The {@code limit} query parameter of the API's lists. */
public final class Limits {

  private Limits() {}

  /**
   * {@code param} as a row count from 1 to {@code max}; {@code fallback} (which may be null: no
   * limit) when it is absent or blank.
   */
  public static Integer parse(String param, Integer fallback, int max) {
    if (param == null || param.isBlank()) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(param.strip());
    } catch (NumberFormatException e) {
      parsed = 0;
    }
    if (parsed < 1 || parsed > max) {
      throw new BadRequestException(
          "'limit'='" + param + "' must be a whole number from 1 to " + max);
    }
    return parsed;
  }
}
