package com.portals.ledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirTest {

  @TempDir Path temp;

  @Test
  void shouldDeleteATemporaryDirectoryWithEverythingInIt() throws Exception {
    Path path;
    try (ScratchDir scratch = ScratchDir.create(null)) {
      path = scratch.path();
      Files.createDirectories(path.resolve("broker/logs"));
      Files.writeString(path.resolve("broker/logs/server.log"), "x");
      assertThat(scratch.kept()).isFalse();
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void shouldCreateAndKeepANamedDirectory() throws Exception {
    Path named = temp.resolve("bench/run-1");
    try (ScratchDir scratch = ScratchDir.create(named)) {
      assertThat(scratch.path()).isEqualTo(named).isDirectory();
      Files.writeString(named.resolve("file"), "x");
    }
    assertThat(named.resolve("file")).exists();
  }

  @Test
  void shouldAcceptAnEmptyDirectoryAndRefuseAnythingElse() throws Exception {
    Path empty = Files.createDirectory(temp.resolve("empty"));
    ScratchDir.create(empty).close();
    Files.writeString(empty.resolve("bootstrap-servers"), "127.0.0.1:9092");
    Path file = Files.writeString(temp.resolve("file"), "x");

    assertThatThrownBy(() -> ScratchDir.create(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not empty");
    assertThatThrownBy(() -> ScratchDir.create(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a directory");
  }
}
