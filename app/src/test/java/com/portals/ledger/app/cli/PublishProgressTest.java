package com.portals.ledger.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PublishProgressTest {

  @Test
  void shouldCountTheLinesAndTheShareOfTheFileRead() throws Exception {
    byte[] file = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
    try (PublishProgress progress =
        PublishProgress.of(4L * file.length, new PrintWriter(new StringWriter()))) {
      BufferedReader reader = progress.reader(new ByteArrayInputStream(file));

      assertThat(reader.readLine()).isEqualTo("{\"a\":1}");
      assertThat(reader.readLine()).isEqualTo("{\"b\":2}");
      assertThat(reader.readLine()).isNull();
      assertThat(progress.line(System.nanoTime()))
          .startsWith("publishing: 25% of 0.0 MB, 2 lines, ");
    }
  }

  @Test
  void shouldShowProgressForLargeFilesOnly() {
    PrintWriter err = new PrintWriter(new StringWriter());
    try (PublishProgress small = PublishProgress.of(PublishProgress.MIN_BYTES - 1, err);
        PublishProgress large = PublishProgress.of(PublishProgress.MIN_BYTES, err);
        PublishProgress input = PublishProgress.of(0, err)) {
      assertThat(small.shown()).isFalse();
      assertThat(large.shown()).isTrue();
      assertThat(input.shown()).isFalse();
    }
  }
}
