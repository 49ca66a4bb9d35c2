package com.portals.ledger.projections.payout;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the bank's answer to a {@link Pain001} file, an ISO 20022 customer payment status report
 * (pain.002.001.10), so that each payout of the batch can be marked paid, failed or still pending
 * by its end-to-end id.
 *
 * <p>The report is uploaded by a person and so is untrusted input: it is parsed without DTDs or
 * entities (a document that declares a DOCTYPE is refused), and anything that is not a pain.002 of
 * this version is refused with an {@link InvalidReport} that says what is wrong and where.
 */
public final class Pain002 {

  /** The namespace of the message, which names its version. */
  public static final String NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

  private Pain002() {}

  /**
   * The report in {@code xml}.
   *
   * @throws InvalidReport when {@code xml} is not a well-formed pain.002.001.10 customer payment
   *     status report, declares a DTD, or lacks what this reading needs (the message ids, an
   *     end-to-end id or a status for each transaction)
   */
  public static Report read(byte[] xml) {
    Objects.requireNonNull(xml, "xml");
    return new Pain002Parser(xml).parse();
  }

  /**
   * What the bank says of a whole pain.001 file and of its transactions.
   *
   * @param messageId the report's own id (GrpHdr/MsgId)
   * @param originalMessageId the message id of the pain.001 it answers
   *     (OrgnlGrpInfAndSts/OrgnlMsgId)
   * @param groupStatus the status of the whole file (GrpSts), or null
   * @param groupReason the first reason code given for the whole file (Cd or Prtry), or null
   * @param transactions the transactions reported on, in the report's order; empty when the bank
   *     reports on the file as a whole only (as when it rejects all of it)
   */
  public record Report(
      String messageId,
      String originalMessageId,
      String groupStatus,
      String groupReason,
      List<TransactionStatus> transactions) {

    public Report {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(originalMessageId, "originalMessageId");
      transactions = List.copyOf(transactions);
    }
  }

  /**
   * What the bank says of one payout.
   *
   * @param endToEndId the payout's end-to-end id (OrgnlEndToEndId)
   * @param status its status code (TxSts, else the status of its payment information block or of
   *     the group)
   * @param reasonCode the first reason code given for it (Cd or Prtry), or null
   * @param additionalInfo the reasons' additional information joined by spaces, or null
   */
  public record TransactionStatus(
      String endToEndId, String status, String reasonCode, String additionalInfo) {

    private static final Set<String> COMPLETED = Set.of("ACCC", "ACSC", "ACSP");
    private static final String REJECTED = "RJCT";

    public TransactionStatus {
      Objects.requireNonNull(endToEndId, "endToEndId");
      Objects.requireNonNull(status, "status");
    }

    /** What the status means for the payout. */
    public Outcome outcome() {
      if (COMPLETED.contains(status)) {
        return Outcome.COMPLETED;
      }
      return REJECTED.equals(status) ? Outcome.FAILED : Outcome.NOT_FINAL;
    }
  }

  /** What a transaction's status means for the payout it stands for. */
  public enum Outcome {
    /** Accepted for settlement or settled (ACCC, ACSC, ACSP): the affiliate is being paid. */
    COMPLETED,
    /** Rejected (RJCT): the money stays with the programme and the payout must be made again. */
    FAILED,
    /** Received, accepted technically, pending, ...: a later report will say more. */
    NOT_FINAL
  }

  /** A report that cannot be read, with what is wrong and, where known, the line. */
  public static final class InvalidReport extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidReport(String message) {
      super(message);
    }

    InvalidReport(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
