package com.portals.ledger.projections.payout;

/**
 * Text that can go into a bank file whatever the input: XML 1.0 cannot carry most control
 * characters nor unpaired surrogates at all, and ISO 20022 bounds the length of every text.
 */
final class XmlText {

  private XmlText() {}

  /**
   * {@code text} with each character XML 1.0 cannot carry, and each tab or line break, replaced by
   * a space, then cut to {@code maxLength} UTF-16 chars, without spaces at either end.
   *
   * <p>XML Schema counts a length in characters (code points), but the JDK's validator, as other
   * Xerces-based ones banks may use, counts UTF-16 chars: an emoji counts twice there. Cutting to
   * {@code maxLength} chars, never between the two halves of a surrogate pair, fits both.
   */
  static String clean(String text, int maxLength) {
    String printable = printable(text).strip();
    if (printable.length() <= maxLength) {
      return printable;
    }
    int end =
        Character.isHighSurrogate(printable.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
    return printable.substring(0, end).strip();
  }

  /**
   * Checks an identifier that the bank echoes back (a message id, an end-to-end id): it is never
   * changed on the way out, so it must fit as it is, in 1 to {@code maxLength} characters.
   */
  static String requireId(String field, String id, int maxLength) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (id.length() > maxLength) {
      throw new IllegalArgumentException(
          field + " must be 1 to " + maxLength + " characters, is " + id.length() + ": " + id);
    }
    if (!printable(id).equals(id)) {
      throw new IllegalArgumentException(
          field + " must not contain control characters, tabs or line breaks: " + printable(id));
    }
    return id;
  }

  /** Checks a name: it must keep something printable once {@link #clean} has been applied. */
  static String requireName(String field, String name) {
    if (name == null || printable(name).isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return name;
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      out.appendCodePoint(isPrintable(codePoint) ? codePoint : ' ');
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  /** XML 1.0's Char production less tab, CR and LF; an unpaired surrogate falls outside it. */
  private static boolean isPrintable(int codePoint) {
    return (codePoint >= 0x20 && codePoint <= 0xD7FF)
        || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
        || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
  }
}
