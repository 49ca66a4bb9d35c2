package com.portals.ledger.app.bench;

import java.io.Reader;
import java.util.Iterator;

/**
 * A {@link Reader} of lines handed out one by one by an iterator, each followed by a line break:
 * how the benchmark gives {@code ledger publish}'s publisher a workload of a million lines without
 * writing it out or keeping it.
 */
final class LineReader extends Reader {

  private final Iterator<String> lines;
  private String current = "";
  private int position;

  LineReader(Iterator<String> lines) {
    this.lines = lines;
  }

  @Override
  public int read(char[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    int written = 0;
    while (written < length) {
      if (position == current.length()) {
        if (!lines.hasNext()) {
          break;
        }
        current = lines.next() + "\n";
        position = 0;
      }
      int count = Math.min(length - written, current.length() - position);
      current.getChars(position, position + count, buffer, offset + written);
      position += count;
      written += count;
    }
    return written == 0 ? -1 : written;
  }

  @Override
  public void close() {
    // Nothing to release: the lines are generated.
  }
}
