package com.portals.ledger.projections.payout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a batch of affiliate payouts as an ISO 20022 customer credit transfer initiation
 * (pain.001.001.09), the file Finance hands to the bank so that it pays every affiliate of the
 * batch from the programme's account in one go.
 *
 * <p>The file holds one payment information block (its id is the message id) with one credit
 * transfer per payout, in US dollars, in the element order of ISO's schema. Whatever the names
 * hold, the file is valid XML: characters XML cannot carry become spaces and names are cut to the
 * 140 characters the schema allows. Ids are never changed, since the bank's status report refers to
 * them: one that does not fit is refused.
 */
public final class Pain001 {

  /** The namespace of the message, which names its version. */
  public static final String NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

  /** ISO 20022's Max35Text, the length of every id. */
  static final int MAX_ID_LENGTH = 35;

  /** ISO 20022's Max140Text, the length of a name. */
  private static final int MAX_NAME_LENGTH = 140;

  /** The currency of every payout. */
  private static final String CURRENCY = "USD";

  /** What the schema's FinancialInstitutionIdentification takes when the BIC is not known. */
  private static final String NOT_PROVIDED = "NOTPROVIDED";

  /** xs:dateTime in UTC, whole seconds (a four-digit year: the schema has no '+' before years). */
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Pain001() {}

  /**
   * The pain.001.001.09 document, UTF-8, for {@code payments} paid from {@code debtor}'s account on
   * {@code executionDate}.
   *
   * @param messageId 1 to 35 characters, unique per file for the bank; echoed in its status report
   * @param createdAt when the file was made (written in UTC, to the second)
   * @param executionDate the day the bank is asked to pay
   * @throws IllegalArgumentException when there is no payment, two payments share an end-to-end id,
   *     an id does not fit, the amounts add up to more than 18 digits, or a date lies outside the
   *     years 1 to 9999
   */
  public static byte[] write(
      String messageId,
      Instant createdAt,
      LocalDate executionDate,
      Debtor debtor,
      List<Payment> payments) {
    XmlText.requireId("messageId", messageId, MAX_ID_LENGTH);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(executionDate, "executionDate");
    Objects.requireNonNull(debtor, "debtor");
    List<Payment> batch = List.copyOf(payments);
    if (batch.isEmpty()) {
      throw new IllegalArgumentException(
          "a pain.001 needs at least one payment, " + messageId + " has none");
    }
    requireDistinctEndToEndIds(batch);
    Header header =
        new Header(
            messageId,
            dateTime(createdAt),
            date(executionDate),
            Integer.toString(batch.size()),
            Cents.format(Cents.total(batch)));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter out =
          XMLOutputFactory.newDefaultFactory()
              .createXMLStreamWriter(bytes, StandardCharsets.UTF_8.name());
      out.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      IndentedXml xml = new IndentedXml(out);
      xml.open("Document");
      out.writeDefaultNamespace(NAMESPACE);
      xml.open("CstmrCdtTrfInitn");
      groupHeader(xml, header, debtor);
      paymentInformation(xml, header, debtor, batch);
      xml.close().close();
      out.writeEndDocument();
      out.writeCharacters("\n");
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("could not write pain.001 " + messageId + " in memory", e);
    }
    return bytes.toByteArray();
  }

  /** What the group header and the payment information block both state. */
  private record Header(
      String messageId, String createdAt, String executionDate, String count, String total) {}

  private static void groupHeader(IndentedXml xml, Header header, Debtor debtor)
      throws XMLStreamException {
    xml.open("GrpHdr")
        .leaf("MsgId", header.messageId())
        .leaf("CreDtTm", header.createdAt())
        .leaf("NbOfTxs", header.count())
        .leaf("CtrlSum", header.total());
    xml.open("InitgPty").leaf("Nm", name(debtor.name())).close();
    xml.close();
  }

  private static void paymentInformation(
      IndentedXml xml, Header header, Debtor debtor, List<Payment> payments)
      throws XMLStreamException {
    xml.open("PmtInf")
        .leaf("PmtInfId", header.messageId())
        .leaf("PmtMtd", "TRF")
        .leaf("NbOfTxs", header.count())
        .leaf("CtrlSum", header.total());
    xml.open("ReqdExctnDt").leaf("Dt", header.executionDate()).close();
    xml.open("Dbtr").leaf("Nm", name(debtor.name())).close();
    account(xml, "DbtrAcct", debtor.iban());
    xml.open("DbtrAgt").open("FinInstnId");
    if (debtor.bic() != null) {
      xml.leaf("BICFI", debtor.bic());
    } else {
      xml.open("Othr").leaf("Id", NOT_PROVIDED).close();
    }
    xml.close().close();
    for (Payment payment : payments) {
      creditTransfer(xml, payment);
    }
    xml.close();
  }

  private static void creditTransfer(IndentedXml xml, Payment payment) throws XMLStreamException {
    xml.open("CdtTrfTxInf");
    xml.open("PmtId").leaf("EndToEndId", payment.endToEndId()).close();
    xml.open("Amt").leaf("InstdAmt", "Ccy", CURRENCY, Cents.format(payment.amountCents())).close();
    if (payment.bic() != null) {
      xml.open("CdtrAgt").open("FinInstnId").leaf("BICFI", payment.bic()).close().close();
    }
    xml.open("Cdtr").leaf("Nm", name(payment.creditorName())).close();
    account(xml, "CdtrAcct", payment.iban());
    xml.close();
  }

  private static void account(IndentedXml xml, String element, String iban)
      throws XMLStreamException {
    xml.open(element).open("Id").leaf("IBAN", iban).close().close();
  }

  private static String name(String name) {
    return XmlText.clean(name, MAX_NAME_LENGTH);
  }

  private static void requireDistinctEndToEndIds(List<Payment> payments) {
    Set<String> seen = new HashSet<>();
    for (Payment payment : payments) {
      if (!seen.add(payment.endToEndId())) {
        throw new IllegalArgumentException(
            "two payments share the end-to-end id "
                + payment.endToEndId()
                + ": the bank's status report could not tell them apart");
      }
    }
  }

  private static String dateTime(Instant createdAt) {
    requireFourDigitYear("createdAt", createdAt.atOffset(ZoneOffset.UTC).getYear(), createdAt);
    return DATE_TIME.format(createdAt.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String date(LocalDate executionDate) {
    requireFourDigitYear("executionDate", executionDate.getYear(), executionDate);
    return executionDate.format(DateTimeFormatter.ISO_LOCAL_DATE);
  }

  /** xs:date and xs:dateTime have no year 0, and ISO-8601 writes years past 9999 with a '+'. */
  private static void requireFourDigitYear(String field, int year, Object value) {
    if (year < 1 || year > 9999) {
      throw new IllegalArgumentException(
          field
              + " "
              + value
              + " must lie in the years 1 to 9999 (UTC) to be written in a pain.001");
    }
  }
}
