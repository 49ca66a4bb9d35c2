package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  @Test
  void shouldHandOutEveryLineOnceAcrossSmallAndLargeReads() throws IOException {
    List<String> lines = IntStream.range(0, 5000).mapToObj(i -> "{\"n\":" + i + "}").toList();
    List<String> read = new ArrayList<>();

    try (BufferedReader reader = new BufferedReader(new LineReader(lines.iterator()), 7)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        read.add(line);
      }
    }

    assertThat(read).isEqualTo(lines);
  }

  @Test
  void shouldEndAtOnceWithoutLines() throws IOException {
    assertThat(new LineReader(List.<String>of().iterator()).read(new char[8], 0, 8)).isEqualTo(-1);
  }
}
