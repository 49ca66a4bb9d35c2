package com.portals.ledger.projections.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.projections.http.ApiTokens.Grant;
import com.portals.ledger.projections.http.ApiTokens.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

  @TempDir Path dir;

  @Test
  void shouldReadRolesAndAffiliates() {
    ApiTokens tokens =
        ApiTokens.parse(
            List.of(
                "# comment",
                "",
                "finance-token-0123456789 finance",
                "aff-token-01234567890 AFFILIATE aff-1",
                "scrape-token-0123456789 metrics"),
            "tokens");

    assertThat(tokens.lookup("finance-token-0123456789")).contains(new Grant(Role.FINANCE, null));
    assertThat(tokens.lookup("aff-token-01234567890")).contains(new Grant(Role.AFFILIATE, "aff-1"));
    assertThat(tokens.lookup("scrape-token-0123456789")).contains(new Grant(Role.METRICS, null));
    assertThat(tokens.lookup("aff-token-0123456789")).isEmpty();
    assertThat(tokens.lookup("")).isEmpty();
    assertThat(tokens.lookup(null)).isEmpty();
  }

  @Test
  void shouldNameTheLineOfABadToken() {
    assertThatThrownBy(() -> ApiTokens.parse(List.of("x-token-0123456789 admin"), "tokens"))
        .hasMessage("tokens line 1: unknown role 'admin' (finance, ingest, affiliate or metrics)");
    assertThatThrownBy(() -> ApiTokens.parse(List.of("", "x-token-0123456789 affiliate"), "tokens"))
        .hasMessage("tokens line 2: an affiliate token needs its AFFILIATE_ID");
    assertThatThrownBy(() -> ApiTokens.parse(List.of("x-token-0123456789 finance aff-1"), "tokens"))
        .hasMessageContaining("only affiliate tokens name an affiliate");
    assertThatThrownBy(() -> ApiTokens.parse(List.of("short finance"), "tokens"))
        .hasMessageContaining("shorter than 16");
    assertThatThrownBy(() -> ApiTokens.parse(List.of("# nothing"), "tokens"))
        .hasMessageContaining("holds no tokens");
  }

  @Test
  void shouldGenerateAFinanceAndAnIngestTokenReadableByTheOwnerOnly() throws Exception {
    Path file = dir.resolve("api-tokens");

    ApiTokens generated = ApiTokens.generate(file);

    ApiTokens read = ApiTokens.read(file);
    String finance = generated.anyTokenOf(Role.FINANCE).orElseThrow();
    assertThat(read.lookup(finance)).contains(new Grant(Role.FINANCE, null));
    assertThat(read.anyTokenOf(Role.INGEST)).isPresent();
    assertThat(finance).hasSizeGreaterThanOrEqualTo(40);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(ApiTokens.generate(dir.resolve("again")).anyTokenOf(Role.FINANCE))
        .isNotEqualTo(generated.anyTokenOf(Role.FINANCE));
  }

  @Test
  void shouldNotWriteTokensIntoAFileThatWasAlreadyThere() throws Exception {
    Path file = dir.resolve("api-tokens");
    Files.createFile(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> ApiTokens.generate(file)).hasMessageContaining("cannot write");
    assertThat(Files.size(file)).as("bytes written into the file found there").isZero();
  }

  @Test
  void shouldRefuseATokensFileOthersMayReadAndSayHowToFixIt() throws Exception {
    Path file = dir.resolve("tokens");
    Files.write(file, List.of("finance-token-0123456789 finance"));
    for (String shared : List.of("rw-r--r--", "rw-r-----", "rw-----w-")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(shared));

      assertThatThrownBy(() -> ApiTokens.read(file))
          .as(shared)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(shared)
          .hasMessageEndingWith("chmod 600 " + file)
          .hasMessageNotContaining("finance-token-0123456789");
    }

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(ApiTokens.read(file).lookup("finance-token-0123456789")).isPresent();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(ApiTokens.read(file, false).lookup("finance-token-0123456789")).isPresent();
  }

  @Test
  void shouldRefuseATokenGivenTwiceNamingTheLinesNotTheToken() {
    assertThatThrownBy(
            () ->
                ApiTokens.parse(
                    List.of(
                        "twice-token-0123456789 finance",
                        "other-token-0123456789 ingest",
                        "# a comment",
                        "twice-token-0123456789 affiliate aff-1"),
                    "tokens"))
        .hasMessage("tokens line 4: the same token as line 1: give every token once");
  }
}
