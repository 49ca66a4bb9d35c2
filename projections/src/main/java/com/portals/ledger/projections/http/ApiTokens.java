package com.portals.ledger.projections.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The API's bearer tokens: lines {@code TOKEN ROLE [AFFILIATE_ID]} (roles {@code finance}, {@code
 * ingest}, {@code affiliate}, {@code metrics}; an affiliate token names its affiliate). Blank lines
 * and lines starting with {@code #} are ignored.
 *
 * <p>Lookups compare every known token in constant time, so response times say nothing about how
 * much of a guessed token was right.
 */
public final class ApiTokens {

  /** What a token may do. */
  public enum Role {
    FINANCE,
    INGEST,
    AFFILIATE,
    /** Reads {@code GET /metrics} only: for a monitoring system's scraper. */
    METRICS
  }

  /** A known token. {@code affiliateId} is set for {@link Role#AFFILIATE} only. */
  public record Grant(Role role, String affiliateId) {}

  private record Entry(byte[] token, Grant grant) {}

  private final List<Entry> entries;

  private ApiTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads a tokens file, which must be readable by its owner only (where the file system says). */
  public static ApiTokens read(Path file) {
    return read(file, true);
  }

  /**
   * Reads a tokens file; with {@code ownerOnly}, refuses one that group or others may read or write
   * (on a file system with POSIX permissions), saying how to fix it.
   */
  public static ApiTokens read(Path file, boolean ownerOnly) {
    if (ownerOnly) {
      requireOwnerOnly(file);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read tokens file " + file + ": " + e.getMessage(), e);
    }
    return parse(lines, file.toString());
  }

  private static void requireOwnerOnly(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException notPosix) {
      return;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read tokens file " + file + ": " + e.getMessage(), e);
    }
    Set<PosixFilePermission> shared = EnumSet.copyOf(permissions);
    shared.retainAll(GROUP_OR_OTHERS);
    if (!shared.isEmpty()) {
      throw new IllegalArgumentException(
          "tokens file "
              + file
              + " may be read or written by group or others ("
              + PosixFilePermissions.toString(permissions)
              + "); its tokens grant access to the ledger: run chmod 600 "
              + file);
    }
  }

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  /**
   * Parses token lines; {@code source} names them in errors, which never show a token (a token
   * given twice is named by its line numbers).
   */
  public static ApiTokens parse(List<String> lines, String source) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> lineOfToken = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1) + ": ";
      String[] parts = line.split("\\s+");
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException(where + "expected TOKEN ROLE [AFFILIATE_ID]");
      }
      Role role;
      try {
        role = Role.valueOf(parts[1].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + "unknown role '" + parts[1] + "' (finance, ingest, affiliate or metrics)", e);
      }
      if (role == Role.AFFILIATE && parts.length != 3) {
        throw new IllegalArgumentException(where + "an affiliate token needs its AFFILIATE_ID");
      }
      if (role != Role.AFFILIATE && parts.length == 3) {
        throw new IllegalArgumentException(
            where + "only affiliate tokens name an affiliate, not " + parts[1]);
      }
      if (parts[0].length() < 16) {
        throw new IllegalArgumentException(where + "token is shorter than 16 characters");
      }
      Integer first = lineOfToken.putIfAbsent(parts[0], i + 1);
      if (first != null) {
        throw new IllegalArgumentException(
            where + "the same token as line " + first + ": give every token once");
      }
      entries.add(
          new Entry(
              parts[0].getBytes(StandardCharsets.UTF_8),
              new Grant(role, role == Role.AFFILIATE ? parts[2] : null)));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no tokens");
    }
    return new ApiTokens(entries);
  }

  /**
   * Writes {@code file} with one new random {@code finance} and one new random {@code ingest} token
   * (readable by the owner only, where the file system allows) and returns them.
   */
  public static ApiTokens generate(Path file) {
    SecureRandom random = new SecureRandom();
    List<String> lines =
        List.of(
            "# API tokens of this ledger: TOKEN ROLE [AFFILIATE_ID]. Keep this file secret.",
            randomToken(random) + " finance",
            randomToken(random) + " ingest");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      // Owner-only from the moment it exists (never written first and restricted after), and new:
      // a file someone else put there (or a link) is not written into.
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        // Windows and friends: the file keeps the directory's permissions.
        Files.createFile(file);
      }
      Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write tokens file " + file + ": " + e.getMessage(), e);
    }
    return parse(lines, file.toString());
  }

  /** The grant of {@code token}, compared in constant time against every known token. */
  public Optional<Grant> lookup(String token) {
    if (token == null) {
      return Optional.empty();
    }
    byte[] candidate = token.getBytes(StandardCharsets.UTF_8);
    Grant found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.token(), candidate) && found == null) {
        found = entry.grant();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The first token with {@code role}, for tools that need one (tests, the simulator). */
  public Optional<String> anyTokenOf(Role role) {
    return entries.stream()
        .filter(entry -> entry.grant().role() == role)
        .map(entry -> new String(entry.token(), StandardCharsets.UTF_8))
        .findFirst();
  }

  private static String randomToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
