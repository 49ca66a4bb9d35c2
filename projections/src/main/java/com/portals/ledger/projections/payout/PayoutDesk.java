package com.portals.ledger.projections.payout;

import com.portals.ledger.avro.events.BatchedWithdrawal;
import com.portals.ledger.avro.events.PayoutBatchCreated;
import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalEvent;
import com.portals.ledger.schemas.publish.GroupPublisher;
import com.portals.ledger.schemas.topics.Topics;
import com.portals.ledger.schemas.validation.EventRules;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * Finance's payout desk: makes payout batches of the accepted withdrawals, and turns the bank's
 * status report into payout results. Both publish events for the ledger, each group in order, and
 * decide nothing the ledger does not check again: a withdrawal goes into a batch only if the ledger
 * finds it accepted and in no batch ({@code PayoutBatched}), and a payout result applies only to a
 * withdrawal still open. What the desk adds is that a request which would be refused does not reach
 * the ledger at all: it is answered with its reasons and changes nothing.
 *
 * <p>A batch's events go out in order: the batch first, then its assignments. If publishing fails
 * half way, the batch holds the withdrawals whose assignments the ledger applied, and the others
 * stay payable.
 *
 * <p>One desk per instance; its methods take turns. Between publishing and the read side showing
 * the ledger's answer, the withdrawals it published for stay "in flight", so that a second batch or
 * status report at once does not name them again.
 */
public final class PayoutDesk {

  /** A request the desk refuses, with every reason; nothing was published. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final List<String> problems;

    public Refused(int status, String code, String message, List<String> problems) {
      super(message);
      this.status = status;
      this.code = code;
      this.problems = List.copyOf(problems);
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** A withdrawal a batch could not take, and why. */
  public record Skipped(String withdrawalId, String affiliateId, String reason) {}

  /** A batch as published: what finance asked the ledger to put in it. */
  public record Created(
      String batchId,
      Instant cutoff,
      Instant createdAt,
      List<PayoutRow> withdrawals,
      long totalCents,
      long payoutCents,
      List<Skipped> skipped) {}

  /** What a status report settled. */
  public record Settled(
      String batchId, List<String> completed, List<String> failed, List<String> notFinal) {}

  private static final DateTimeFormatter BATCH_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Where the desk's events go: {@link GroupPublisher#publish} in a running ledger. */
  @FunctionalInterface
  public interface Publish {
    void publish(List<GroupPublisher.Event> events);
  }

  private final Publish publisher;
  private final Debtor debtor;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> batching = new HashMap<>();
  private final Set<String> settling = new HashSet<>();

  /**
   * @param debtor the programme's own account, which the bank file pays from; null if not set (the
   *     bank file is then refused with the settings to set)
   */
  public PayoutDesk(Publish publisher, Debtor debtor) {
    this.publisher = publisher;
    this.debtor = debtor;
  }

  /** The account the bank file pays from. */
  public Debtor debtor() {
    if (debtor == null) {
      throw new Refused(
          409,
          "PAYOUT_ACCOUNT_NOT_SET",
          "the programme's bank account is not set: set ledger.payout.debtor-name,"
              + " ledger.payout.debtor-iban and ledger.payout.debtor-bic",
          List.of());
    }
    return debtor;
  }

  /**
   * Puts every payable withdrawal decided at or before {@code cutoff} into a new batch, at the
   * ledger's time {@code now}.
   *
   * @param payable every instance's accepted withdrawals in no batch (whatever their time: those
   *     that are no longer among them are no longer "in flight")
   */
  public synchronized Created create(Instant now, Instant cutoff, Supplier<PayoutRows> payable) {
    List<PayoutRow> all = payable.get().rows();
    Set<String> stillPayable = new HashSet<>();
    all.forEach(row -> stillPayable.add(key(row)));
    batching.keySet().retainAll(stillPayable);
    List<PayoutRow> rows =
        all.stream().filter(row -> row.decidedAtMillis() <= cutoff.toEpochMilli()).toList();
    List<PayoutRow> taken = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (PayoutRow row : rows) {
      if (batching.containsKey(key(row))) {
        continue;
      }
      if (!ids.add(row.withdrawalId())) {
        skipped.add(
            new Skipped(
                row.withdrawalId(),
                row.affiliateId(),
                "another affiliate's withdrawal in this batch has the same id, which is the"
                    + " payment's end-to-end id: it goes into the next batch"));
        continue;
      }
      String unpayable = unpayable(row);
      if (unpayable != null) {
        skipped.add(new Skipped(row.withdrawalId(), row.affiliateId(), unpayable));
        continue;
      }
      taken.add(row);
    }
    if (taken.isEmpty()) {
      throw new Refused(
          409,
          "NOTHING_TO_PAY",
          "no accepted withdrawal decided at or before "
              + cutoff
              + " is waiting for a payout batch"
              + (skipped.isEmpty() ? "" : " (" + skipped.size() + " cannot be batched)")
              + (batching.isEmpty()
                  ? ""
                  : " (" + batching.size() + " are in a batch the ledger has not applied yet)"),
          skipped.stream().map(s -> s.withdrawalId() + ": " + s.reason()).toList());
    }
    String batchId =
        "PB-"
            + BATCH_TIME.format(now)
            + "-"
            + HexFormat.of().toHexDigits(random.nextInt()).substring(2);
    long total = 0;
    long payout = 0;
    List<BatchedWithdrawal> members = new ArrayList<>();
    List<GroupPublisher.Event> events = new ArrayList<>();
    for (PayoutRow row : taken) {
      total += row.amountCents();
      payout += row.payoutCents();
      members.add(
          new BatchedWithdrawal(
              row.withdrawalId(), row.affiliateId(), row.amountCents(), row.payoutCents()));
      events.add(
          withdrawalEvent(
              row.affiliateId(),
              new PayoutBatched(
                  batchId + ":" + row.withdrawalId(),
                  row.withdrawalId(),
                  row.affiliateId(),
                  batchId,
                  now),
              now));
    }
    PayoutBatchCreated batch =
        new PayoutBatchCreated(batchId, batchId, cutoff, members, total, payout, now);
    events.add(0, new GroupPublisher.Event(Topics.PAYOUT_BATCHES, batchId, batch, now));
    publisher.publish(events);
    taken.forEach(row -> batching.put(key(row), batchId));
    return new Created(batchId, cutoff, now, taken, total, payout, skipped);
  }

  /**
   * Turns the bank's status report on batch {@code batchId} into payout results, at the ledger's
   * time {@code now}: all of it, or, if any payment in it cannot be settled, nothing.
   *
   * @param members the batch's withdrawals, from every instance
   */
  public synchronized Settled settle(
      String batchId, Pain002.Report report, List<PayoutRow> members, Instant now) {
    Map<String, PayoutRow> byId = new LinkedHashMap<>();
    members.forEach(row -> byId.put(row.withdrawalId(), row));
    settling.removeIf(key -> members.stream().anyMatch(row -> key.equals(key(row)) && !row.open()));
    List<String> problems = new ArrayList<>();
    if (report.originalMessageId() != null && !report.originalMessageId().equals(batchId)) {
      problems.add(
          "the report is the status of message "
              + report.originalMessageId()
              + ", not of batch "
              + batchId);
    }
    Map<String, Pain002.TransactionStatus> statuses = new LinkedHashMap<>();
    for (Pain002.TransactionStatus tx : report.transactions()) {
      PayoutRow row = byId.get(tx.endToEndId());
      if (row == null) {
        problems.add("end-to-end id " + tx.endToEndId() + " is not a payment of batch " + batchId);
      } else if (statuses.put(tx.endToEndId(), tx) != null) {
        problems.add(
            "end-to-end id " + tx.endToEndId() + " has more than one status in the report");
      } else if (tx.outcome() != Pain002.Outcome.NOT_FINAL) {
        if (!row.open()) {
          problems.add(
              "payment "
                  + tx.endToEndId()
                  + " is already settled ("
                  + row.status()
                  + "): a second status changes nothing");
        } else if (settling.contains(key(row))) {
          problems.add(
              "payment "
                  + tx.endToEndId()
                  + " was settled by an earlier report that the ledger has not applied yet");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Refused(
          409,
          "STATUS_REPORT_REFUSED",
          problems.size() + " problem(s) in the status report; nothing was settled",
          problems);
    }
    boolean wholeGroupRejected =
        report.transactions().isEmpty() && "RJCT".equals(report.groupStatus());
    List<String> completed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> notFinal = new ArrayList<>();
    List<GroupPublisher.Event> events = new ArrayList<>();
    String source = report.messageId() == null ? batchId : report.messageId();
    if (wholeGroupRejected) {
      for (PayoutRow row : byId.values()) {
        if (row.open() && !settling.contains(key(row))) {
          failed.add(row.withdrawalId());
          events.add(failedEvent(source, row, reason(report.groupReason(), null), now));
        }
      }
    }
    for (Pain002.TransactionStatus tx : statuses.values()) {
      PayoutRow row = byId.get(tx.endToEndId());
      switch (tx.outcome()) {
        case COMPLETED -> {
          completed.add(row.withdrawalId());
          events.add(
              withdrawalEvent(
                  row.affiliateId(),
                  new PayoutCompleted(
                      eventId(source, row), row.withdrawalId(), row.affiliateId(), now),
                  now));
        }
        case FAILED -> {
          failed.add(row.withdrawalId());
          events.add(failedEvent(source, row, reason(tx.reasonCode(), tx.additionalInfo()), now));
        }
        case NOT_FINAL -> notFinal.add(row.withdrawalId());
      }
    }
    if (!events.isEmpty()) {
      publisher.publish(events);
    }
    for (String id : completed) {
      settling.add(key(byId.get(id)));
    }
    for (String id : failed) {
      settling.add(key(byId.get(id)));
    }
    return new Settled(batchId, completed, failed, notFinal);
  }

  private static GroupPublisher.Event failedEvent(
      String source, PayoutRow row, String reason, Instant now) {
    return withdrawalEvent(
        row.affiliateId(),
        new PayoutFailed(eventId(source, row), row.withdrawalId(), row.affiliateId(), reason, now),
        now);
  }

  /**
   * Why the bank file cannot carry {@code row}'s payment (an id longer than ISO 20022's 35
   * characters, an id or a name made of characters XML cannot hold: the ledger accepts both), or
   * null if it can.
   */
  static String unpayable(PayoutRow row) {
    try {
      payment(row);
      return null;
    } catch (IllegalArgumentException e) {
      return "the bank file cannot carry it: " + e.getMessage() + "; pay it by hand";
    }
  }

  /** {@code row} as a payment of the bank file. */
  public static Payment payment(PayoutRow row) {
    return new Payment(
        row.withdrawalId(), row.payoutCents(), row.holder(), row.iban(), row.swift());
  }

  /** The bank's reason code and words, as the failed payout's reason. */
  static String reason(String code, String words) {
    String reason =
        (code == null ? "" : code)
            + (code != null && words != null ? " " : "")
            + (words == null ? "" : words);
    if (reason.isBlank()) {
      reason = "rejected by the bank";
    }
    return reason.length() > EventRules.MAX_TEXT_LENGTH
        ? reason.substring(0, EventRules.MAX_TEXT_LENGTH)
        : reason;
  }

  /** One event id per report and payment: the same report fed twice is a duplicate. */
  private static String eventId(String reportId, PayoutRow row) {
    return "pain002:" + reportId + ":" + row.withdrawalId();
  }

  private static GroupPublisher.Event withdrawalEvent(
      String affiliateId, SpecificRecord event, Instant at) {
    return new GroupPublisher.Event(
        Topics.WITHDRAWALS, affiliateId, new WithdrawalEvent(event), at);
  }

  private static String key(PayoutRow row) {
    return row.affiliateId() + "\u0000" + row.withdrawalId();
  }
}
