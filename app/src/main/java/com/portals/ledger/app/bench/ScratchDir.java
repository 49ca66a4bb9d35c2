package com.portals.ledger.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory a benchmark keeps its broker and state in: a fresh temporary directory, deleted on
 * {@link #close()}, or one the user named, which must be empty (a benchmark never runs on a
 * ledger's data) and is kept.
 */
final class ScratchDir implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScratchDir.class);

  private final Path path;
  private final boolean keep;
  private boolean deleted;

  private ScratchDir(Path path, boolean keep) {
    this.path = path;
    this.keep = keep;
  }

  /**
   * {@code given}, created if missing, or a new temporary directory if {@code given} is null.
   *
   * @throws IllegalArgumentException if {@code given} exists and is not an empty directory
   */
  static ScratchDir create(Path given) {
    try {
      if (given == null) {
        return new ScratchDir(Files.createTempDirectory("ledger-bench-"), false);
      }
      if (Files.exists(given)) {
        if (!Files.isDirectory(given)) {
          throw new IllegalArgumentException("--data-dir " + given + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(given)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "--data-dir "
                    + given
                    + " is not empty: a benchmark starts from nothing; name a new or empty"
                    + " directory");
          }
        }
      }
      return new ScratchDir(Files.createDirectories(given), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the benchmark's directory: " + e, e);
    }
  }

  Path path() {
    return path;
  }

  /** Whether the directory stays after {@link #close()}. */
  boolean kept() {
    return keep;
  }

  /**
   * Deletes the directory and everything in it, unless the user named it. Safe to call again, and
   * from another thread (a shutdown hook).
   */
  @Override
  public synchronized void close() {
    if (keep || deleted) {
      return;
    }
    deleted = true;
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(path)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", path, e.toString());
      return;
    }
    for (Path file : paths) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("cannot delete {}: {}", file, e.toString());
      }
    }
  }
}
