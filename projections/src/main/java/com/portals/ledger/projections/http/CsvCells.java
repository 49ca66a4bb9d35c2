package com.portals.ledger.projections.http;

/**
 * Text cells of the CSV the API writes, made safe to open in a spreadsheet (OWASP "CSV injection"):
 * a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would
 * be taken for a formula, so it gets a leading single quote; the CSV printer then quotes it as any
 * other cell. Upstream text (ids, tracking fields) goes through {@link #text}. Amounts are not
 * text: the ledger writes them itself from integer cents ({@code -12.34} at most), and they must
 * stay numbers, so they are written as they are.
 */
final class CsvCells {

  private CsvCells() {}

  /** {@code value} as a CSV text cell: empty for null, quoted off if it could start a formula. */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    return switch (value.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
      default -> value;
    };
  }
}
