package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.projections.payout.Pain002.Outcome;
import com.portals.ledger.projections.payout.Pain002.Report;
import com.portals.ledger.projections.payout.Pain002.TransactionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example bank files in docs/examples are what the code writes and reads: the pain.001 is
 * exactly what {@link Pain001#write} makes of the data below, so that the example cannot drift from
 * the code, and both validate against ISO's schemas.
 */
class ExampleFilesTest {

  private static final String PAIN_001 = "payout-batch.pain.001.xml";
  private static final String PAIN_002 = "payout-batch.pain.002.xml";

  private static final String MESSAGE_ID = "PB-20260302T100000Z-3fa9c1";
  private static final Debtor DEBTOR =
      new Debtor("Portals Affiliate Programme", "NL91ABNA0417164300", "ABNANL2A");
  private static final List<Payment> PAYMENTS =
      List.of(
          new Payment(
              "wd-anna-0317",
              125_000,
              "Anna Schmidt",
              "DE89 3704 0044 0532 0130 00",
              "COBADEFFXXX"),
          new Payment(
              "wd-oliver-0042", 48_731, "Oliver Jones", "GB82 WEST 1234 5698 7654 32", "NWBKGB2L"));

  @Test
  void shouldShowExactlyWhatThePain001WriterWrites() throws IOException {
    byte[] example = Files.readAllBytes(examples().resolve(PAIN_001));
    Schemas.assertValid(example, Schemas.PAIN_001);

    byte[] written =
        Pain001.write(
            MESSAGE_ID,
            Instant.parse("2026-03-02T10:00:00Z"),
            LocalDate.parse("2026-03-03"),
            DEBTOR,
            PAYMENTS);

    assertThat(text(example))
        .as(
            "docs/examples/%s is what Pain001.write makes of ExampleFilesTest's data; if the"
                + " writer changed on purpose, write the file anew",
            PAIN_001)
        .isEqualTo(text(written));
  }

  @Test
  void shouldReadThePain002ExampleAsTheAnswerToThePain001() throws IOException {
    byte[] example = Files.readAllBytes(examples().resolve(PAIN_002));
    Schemas.assertValid(example, Schemas.PAIN_002);

    Report report = Pain002.read(example);

    assertThat(report.originalMessageId()).isEqualTo(MESSAGE_ID);
    assertThat(report.groupStatus()).isEqualTo("PART");
    assertThat(report.transactions())
        .containsExactly(
            new TransactionStatus(PAYMENTS.get(0).endToEndId(), "ACSC", null, null),
            new TransactionStatus(PAYMENTS.get(1).endToEndId(), "RJCT", "AC04", "account closed"));
    assertThat(report.transactions())
        .extracting(TransactionStatus::outcome)
        .containsExactly(Outcome.COMPLETED, Outcome.FAILED);
  }

  /** docs/examples, found upwards from the working directory (the module's, under Maven). */
  private static Path examples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path examples = dir.resolve("docs").resolve("examples");
      if (Files.exists(examples.resolve(PAIN_001))) {
        return examples;
      }
    }
    throw new AssertionError(
        "no docs/examples/" + PAIN_001 + " above " + Path.of("").toAbsolutePath());
  }

  /** The file as text, whatever line ends a checkout gave it. */
  private static String text(byte[] xml) {
    return new String(xml, StandardCharsets.UTF_8).replace("\r\n", "\n");
  }
}
