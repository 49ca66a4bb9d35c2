package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pain001Test {

  private static final Instant CREATED = Instant.parse("2026-03-02T10:00:00.123456Z");
  private static final LocalDate EXECUTION = LocalDate.parse("2026-03-03");
  private static final Debtor DEBTOR =
      new Debtor("Portals Affiliate Programme", "DE89370400440532013000", "COBADEFFXXX");
  private static final String TX = "/p:Document/p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf";

  @Test
  void shouldWriteABatchThatIsoSchemaAccepts() throws Exception {
    List<Payment> payments =
        List.of(
            new Payment("E2E-1", 1234, "Anna Example", "gb82 west 1234 5698 7654 32", "nwbk gb2l"),
            new Payment("E2E-2", 5, "Jan de Vries", "NL91ABNA0417164300", null),
            new Payment("E2E-3", 100_000, "Ola Nordmann", "DE89370400440532013000", "COBADEFFXXX"));

    byte[] xml = Pain001.write("BATCH-2026-03-02", CREATED, EXECUTION, DEBTOR, payments);

    Schemas.assertValid(xml, Schemas.PAIN_001);
    assertThat(new String(xml, StandardCharsets.UTF_8))
        .startsWith(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"" + Pain001.NAMESPACE);
    XPaths read = new XPaths(xml, Pain001.NAMESPACE);
    String header = "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/";
    assertThat(read.text(header + "p:MsgId")).isEqualTo("BATCH-2026-03-02");
    assertThat(read.text(header + "p:CreDtTm")).isEqualTo("2026-03-02T10:00:00Z");
    assertThat(read.text(header + "p:NbOfTxs")).isEqualTo("3");
    assertThat(read.text(header + "p:CtrlSum")).isEqualTo("1012.39");
    assertThat(read.text(header + "p:InitgPty/p:Nm")).isEqualTo("Portals Affiliate Programme");

    String block = "/p:Document/p:CstmrCdtTrfInitn/p:PmtInf/";
    assertThat(read.count(block.substring(0, block.length() - 1))).isEqualTo(1);
    assertThat(read.text(block + "p:PmtInfId")).isEqualTo("BATCH-2026-03-02");
    assertThat(read.text(block + "p:PmtMtd")).isEqualTo("TRF");
    assertThat(read.text(block + "p:NbOfTxs")).isEqualTo("3");
    assertThat(read.text(block + "p:CtrlSum")).isEqualTo("1012.39");
    assertThat(read.text(block + "p:ReqdExctnDt/p:Dt")).isEqualTo("2026-03-03");
    assertThat(read.text(block + "p:Dbtr/p:Nm")).isEqualTo("Portals Affiliate Programme");
    assertThat(read.text(block + "p:DbtrAcct/p:Id/p:IBAN")).isEqualTo("DE89370400440532013000");
    assertThat(read.text(block + "p:DbtrAgt/p:FinInstnId/p:BICFI")).isEqualTo("COBADEFFXXX");

    assertThat(read.texts(TX + "/p:PmtId/p:EndToEndId")).containsExactly("E2E-1", "E2E-2", "E2E-3");
    assertThat(read.texts(TX + "/p:Amt/p:InstdAmt")).containsExactly("12.34", "0.05", "1000.00");
    assertThat(read.texts(TX + "/p:Amt/p:InstdAmt/@Ccy")).containsExactly("USD", "USD", "USD");
    assertThat(read.texts(TX + "/p:Cdtr/p:Nm"))
        .containsExactly("Anna Example", "Jan de Vries", "Ola Nordmann");
    assertThat(read.texts(TX + "/p:CdtrAcct/p:Id/p:IBAN"))
        .containsExactly("GB82WEST12345698765432", "NL91ABNA0417164300", "DE89370400440532013000");
    assertThat(read.text(TX + "[1]/p:CdtrAgt/p:FinInstnId/p:BICFI")).isEqualTo("NWBKGB2L");
    assertThat(read.count(TX + "[2]/p:CdtrAgt")).isZero();
    assertThat(read.text(TX + "[3]/p:CdtrAgt/p:FinInstnId/p:BICFI")).isEqualTo("COBADEFFXXX");
  }

  @Test
  void shouldNameNoBankWhenNeitherSideHasABic() throws Exception {
    Debtor withoutBic = new Debtor("Portals Affiliate Programme", "DE89370400440532013000", " ");

    byte[] xml =
        Pain001.write(
            "NO-BIC",
            CREATED,
            EXECUTION,
            withoutBic,
            List.of(new Payment("E2E-1", 100, "Jan de Vries", "NL91ABNA0417164300", null)));

    Schemas.assertValid(xml, Schemas.PAIN_001);
    XPaths read = new XPaths(xml, Pain001.NAMESPACE);
    String agent = "/p:Document/p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAgt/p:FinInstnId";
    assertThat(read.count(agent + "/p:BICFI")).isZero();
    assertThat(read.text(agent + "/p:Othr/p:Id")).isEqualTo("NOTPROVIDED");
    assertThat(read.count(TX + "/p:CdtrAgt")).isZero();
  }

  @Test
  void shouldWriteValidXmlWhateverTheNamesHold() throws Exception {
    String longName = "x".repeat(300);
    String emoji = "\uD83D\uDE00".repeat(300);
    List<String> names =
        List.of(
            "<&>\"'",
            "A\u0000B\u0001C",
            longName,
            emoji,
            "lone \uD800 high, lone \uDC00 low",
            "tab\there\r\nnew line",
            "]]> \uFFFE\uFFFF end");
    List<Payment> payments =
        names.stream()
            .map(
                name ->
                    new Payment(
                        "E2E-" + names.indexOf(name), 100, name, "NL91ABNA0417164300", null))
            .toList();
    Debtor hostileDebtor = new Debtor("Po <&>\u0007" + emoji, "DE89370400440532013000", null);

    byte[] xml = Pain001.write("HOSTILE", CREATED, EXECUTION, hostileDebtor, payments);

    Schemas.assertValid(xml, Schemas.PAIN_001);
    XPaths read = new XPaths(xml, Pain001.NAMESPACE);
    assertThat(read.texts(TX + "/p:Cdtr/p:Nm"))
        .containsExactly(
            "<&>\"'",
            "A B C",
            "x".repeat(140),
            "\uD83D\uDE00".repeat(70),
            "lone   high, lone   low",
            "tab here  new line",
            "]]>    end");
    String debtorName = read.text("/p:Document/p:CstmrCdtTrfInitn/p:PmtInf/p:Dbtr/p:Nm");
    // Seven chars, then 66 emoji of two chars each: a 67th would have only one char of its two.
    assertThat(debtorName).isEqualTo("Po <&> " + "\uD83D\uDE00".repeat(66));
  }

  @Test
  void shouldRefuseIdsThatDoNotFit() {
    String id35 = "E".repeat(35);
    assertThat(new Payment(id35, 1, "Anna", "NL91ABNA0417164300", null).endToEndId())
        .isEqualTo(id35);
    assertThatThrownBy(() -> new Payment(id35 + "E", 1, "Anna", "NL91ABNA0417164300", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endToEndId must be 1 to 35 characters, is 36");
    assertThatThrownBy(() -> new Payment(" ", 1, "Anna", "NL91ABNA0417164300", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endToEndId must not be blank");
    assertThatThrownBy(() -> new Payment("E2E\u0000", 1, "Anna", "NL91ABNA0417164300", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endToEndId must not contain control characters");
    assertThatThrownBy(() -> write("M".repeat(36), payment("E2E-1", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messageId must be 1 to 35 characters, is 36");
    assertThatThrownBy(() -> write("BATCH", payment("E2E-1", 1), payment("E2E-1", 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two payments share the end-to-end id E2E-1");
  }

  @Test
  void shouldRefuseABatchWithoutPayments() {
    assertThatThrownBy(() -> write("EMPTY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a pain.001 needs at least one payment");
  }

  @Test
  void shouldWriteAmountsAsExactDecimals() throws Exception {
    byte[] xml =
        write(
            "AMOUNTS",
            payment("E2E-1", 1),
            payment("E2E-2", 5),
            payment("E2E-3", 10),
            payment("E2E-4", 100),
            payment("E2E-5", 1234),
            payment("E2E-6", 123_456_789_012L));

    Schemas.assertValid(xml, Schemas.PAIN_001);
    XPaths read = new XPaths(xml, Pain001.NAMESPACE);
    assertThat(read.texts(TX + "/p:Amt/p:InstdAmt"))
        .containsExactly("0.01", "0.05", "0.10", "1.00", "12.34", "1234567890.12");
    assertThat(read.text("/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum"))
        .isEqualTo("1234567903.62");
  }

  @Test
  void shouldRefuseAmountsIsoCannotCarry() throws Exception {
    assertThatThrownBy(() -> payment("E2E-1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amountCents must be more than zero, is 0");
    assertThatThrownBy(() -> payment("E2E-1", -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amountCents must be more than zero, is -5");

    byte[] largest = write("LARGEST", payment("E2E-1", Cents.MAX));
    Schemas.assertValid(largest, Schemas.PAIN_001);
    assertThat(new XPaths(largest, Pain001.NAMESPACE).text(TX + "/p:Amt/p:InstdAmt"))
        .isEqualTo("9999999999999999.99");

    assertThatThrownBy(() -> write("TOO-MUCH", payment("E2E-1", Cents.MAX), payment("E2E-2", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to more than 9999999999999999.99");
    assertThatThrownBy(
            () ->
                write(
                    "OVERFLOW", payment("E2E-1", Long.MAX_VALUE), payment("E2E-2", Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to more than");
  }

  @Test
  void shouldRefuseAccountsAndNamesThatAreNot() {
    assertThatThrownBy(() -> new Payment("E2E-1", 1, "Anna", "  ", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iban (payment E2E-1) must not be blank");
    assertThatThrownBy(() -> new Payment("E2E-1", 1, "Anna", "not an iban", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not an iban' is not an IBAN");
    assertThatThrownBy(() -> new Payment("E2E-1", 1, "Anna", "NL91ABNA0417164300", "BANK"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bic (payment E2E-1) 'BANK' is not a BIC");
    assertThatThrownBy(() -> new Payment("E2E-1", 1, "\u0000 \t", "NL91ABNA0417164300", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("creditorName (payment E2E-1) must not be blank");
    assertThatThrownBy(() -> new Debtor(null, "DE89370400440532013000", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("debtor name must not be blank");
    assertThatThrownBy(() -> new Debtor("Portals", "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("debtor iban must not be blank");
  }

  @Test
  void shouldRefuseDatesXmlSchemaCannotCarry() {
    Payment payment = payment("E2E-1", 1);
    assertThatThrownBy(
            () ->
                Pain001.write(
                    "FAR",
                    Instant.parse("+10000-01-01T00:00:00Z"),
                    EXECUTION,
                    DEBTOR,
                    List.of(payment)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createdAt +10000-01-01T00:00:00Z must lie in the years 1 to 9999");
    assertThatThrownBy(
            () -> Pain001.write("FAR", CREATED, LocalDate.of(0, 1, 1), DEBTOR, List.of(payment)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executionDate 0000-01-01 must lie in the years 1 to 9999");
  }

  private static Payment payment(String endToEndId, long cents) {
    return new Payment(endToEndId, cents, "Jan de Vries", "NL91ABNA0417164300", "ABNANL2A");
  }

  private static byte[] write(String messageId, Payment... payments) {
    return Pain001.write(messageId, CREATED, EXECUTION, DEBTOR, List.of(payments));
  }
}
