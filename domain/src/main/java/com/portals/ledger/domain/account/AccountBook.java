package com.portals.ledger.domain.account;

import static com.portals.ledger.domain.journal.LedgerAccount.BANK;
import static com.portals.ledger.domain.journal.LedgerAccount.COMMISSION_EXPENSE;
import static com.portals.ledger.domain.journal.LedgerAccount.FEE_REVENUE;
import static com.portals.ledger.domain.journal.LedgerAccount.PAYOUTS_PAYABLE;
import static com.portals.ledger.domain.journal.LedgerAccount.awaitingRefresh;
import static com.portals.ledger.domain.journal.LedgerAccount.balance;
import static com.portals.ledger.domain.journal.LedgerAccount.pending;

import com.portals.ledger.domain.journal.EntryKind;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.domain.time.SettlementCalendar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of an affiliate's account: journals commission movements, posts completed commission to
 * the balance when its refresh comes, decides withdrawals against the balance and settles payouts.
 * Pure: every method returns the next account and the journal entries; nothing is stored here.
 *
 * <p>Affiliate accounts are liabilities: an entry credits {@code affiliate:X:pending} (a negative
 * leg) when the programme comes to owe more, and debits it when the commission moves on. Each
 * figure of the account equals the negated sum of the legs on its ledger account.
 */
public final class AccountBook {

  /** Why a payout result did not apply. */
  public record Rejected(String code, String message) {}

  /** The account after an input, and what to journal. */
  public record Outcome(Account account, List<JournalEntry> entries) {
    public Outcome {
      entries = List.copyOf(entries);
    }
  }

  /**
   * The account after a withdrawal request or payout result.
   *
   * @param withdrawal the withdrawal's state to keep, or null if it stays as it was (a duplicate
   *     request, a rejected payout result)
   * @param decision what to publish on the decisions topic, or null
   * @param rejected why a payout result did not apply, or null
   */
  public record WithdrawalOutcome(
      Account account,
      List<JournalEntry> entries,
      Withdrawal withdrawal,
      Withdrawal decision,
      Rejected rejected) {
    public WithdrawalOutcome {
      entries = List.copyOf(entries);
    }
  }

  private final LedgerRules rules;
  private final SettlementCalendar calendar;

  public AccountBook(LedgerRules rules) {
    this.rules = Objects.requireNonNull(rules);
    this.calendar = rules.calendar();
  }

  /** Journals one commission movement of an order. */
  public Outcome apply(Account account, CommissionMovement movement) {
    String affiliate = account.affiliateId();
    Money amount = movement.amount();
    String cause = movement.cause();
    Instant at = movement.effectiveAt();
    String order = movement.orderId();
    return switch (movement.kind()) {
      case ACCRUED -> {
        JournalEntry entry =
            JournalEntry.transfer(
                EntryKind.COMMISSION_ACCRUED,
                cause,
                affiliate,
                COMMISSION_EXPENSE,
                pending(affiliate),
                amount,
                cause,
                at,
                order,
                null);
        yield record(account.withPending(account.pending().plus(amount)), entry);
      }
      case COMPLETED -> {
        long cycle = calendar.cycleOf(at);
        JournalEntry entry =
            JournalEntry.transfer(
                    EntryKind.COMMISSION_COMPLETED,
                    cause,
                    affiliate,
                    pending(affiliate),
                    awaitingRefresh(affiliate),
                    amount,
                    cause,
                    at,
                    order,
                    null)
                .inCycle(cycle);
        Account next =
            account
                .withPending(account.pending().minus(amount))
                .withAwaiting(
                    cycle, account.awaitingByCycle().getOrDefault(cycle, Money.ZERO).plus(amount));
        yield record(next, entry);
      }
      case CANCELLED, EXPIRED -> {
        JournalEntry entry =
            JournalEntry.transfer(
                EntryKind.COMMISSION_CANCELLED,
                cause,
                affiliate,
                pending(affiliate),
                COMMISSION_EXPENSE,
                amount,
                cause,
                at,
                order,
                null);
        yield record(account.withPending(account.pending().minus(amount)), entry);
      }
      case REFUNDED -> refund(account, movement);
    };
  }

  /**
   * A refund reverses commission where it is now: pending if the order has not completed, awaiting
   * refresh if its cycle has not been posted yet, else the balance (which may then go below zero:
   * the affiliate owes it back).
   */
  private Outcome refund(Account account, CommissionMovement movement) {
    String affiliate = account.affiliateId();
    Money amount = movement.amount();
    String from;
    Account next;
    Long fromCycle = null;
    if (movement.completedAt() == null) {
      from = pending(affiliate);
      next = account.withPending(account.pending().minus(amount));
    } else {
      long cycle = calendar.cycleOf(movement.completedAt());
      Money bucket = account.awaitingByCycle().get(cycle);
      if (bucket != null && !amount.isGreaterThan(bucket)) {
        from = awaitingRefresh(affiliate);
        next = account.withAwaiting(cycle, bucket.minus(amount));
        fromCycle = cycle;
      } else {
        from = balance(affiliate);
        next = account.withBalance(account.balance().minus(amount));
      }
    }
    JournalEntry entry =
        JournalEntry.transfer(
            EntryKind.COMMISSION_REFUNDED,
            movement.cause(),
            affiliate,
            from,
            COMMISSION_EXPENSE,
            amount,
            movement.cause(),
            movement.effectiveAt(),
            movement.orderId(),
            null);
    return record(next, fromCycle == null ? entry : entry.inCycle(fromCycle));
  }

  /** The cycles of {@code account} whose commission is due for posting at or before {@code at}. */
  public List<Long> cyclesDue(Account account, Instant at) {
    List<Long> due = new ArrayList<>();
    for (Long cycle : account.awaitingByCycle().keySet()) {
      if (!calendar.postingInstantOfCycle(cycle).isAfter(at)) {
        due.add(cycle);
      }
    }
    return due;
  }

  /**
   * The balance refresh: commission completed in {@code cycle} moves to the balance, effective at
   * the close of the next cycle.
   */
  public Outcome post(Account account, long cycle) {
    Money amount = account.awaitingByCycle().get(cycle);
    if (amount == null) {
      return new Outcome(account, List.of());
    }
    Instant at = calendar.postingInstantOfCycle(cycle);
    String affiliate = account.affiliateId();
    String cause = "cycle-close:" + at;
    String idCause =
        affiliate
            + ":cycle-"
            + cycle
            + (cycle <= account.lastPostedCycle() ? ":after-" + account.entryCount() : "");
    Account next =
        account
            .withAwaiting(cycle, Money.ZERO)
            .withBalance(account.balance().plus(amount))
            .withPosted(cycle);
    if (!amount.isPositive()) {
      return new Outcome(next, List.of());
    }
    JournalEntry entry =
        JournalEntry.transfer(
                EntryKind.BALANCE_POSTED,
                idCause,
                affiliate,
                awaitingRefresh(affiliate),
                balance(affiliate),
                amount,
                cause,
                at,
                null,
                null)
            .inCycle(cycle);
    return record(next, entry);
  }

  /**
   * Decides a withdrawal request against the balance (docs/contract.md): the balance must exceed
   * the minimum, the amount (the whole balance if none is given) must not exceed the balance and
   * must exceed the fee, the bank account must be valid, and a withdrawal id is used once.
   *
   * @param account the affiliate's account, or null if it has none
   * @param existing the withdrawal with the same id, or null
   */
  public WithdrawalOutcome request(
      Account account, Withdrawal existing, WithdrawalRequest request) {
    Money fee = rules.withdrawalFee();
    String masked = BankAccounts.mask(request.iban());
    if (existing != null) {
      return rejectedRequest(
          account,
          request,
          masked,
          Withdrawal.DUPLICATE_WITHDRAWAL,
          "withdrawal "
              + request.withdrawalId()
              + " was already requested ("
              + existing.status()
              + ")",
          false);
    }
    Optional<String> bankProblem = BankAccounts.problem(request.iban(), request.swift());
    if (bankProblem.isPresent()) {
      return rejectedRequest(
          account, request, masked, Withdrawal.INVALID_BANK_ACCOUNT, bankProblem.get(), true);
    }
    if (account == null) {
      return rejectedRequest(
          null,
          request,
          masked,
          Withdrawal.UNKNOWN_AFFILIATE,
          "affiliate " + request.affiliateId() + " has no account",
          true);
    }
    Money balanceNow = account.balance();
    if (!balanceNow.isGreaterThan(rules.withdrawalMinimum())) {
      return rejectedRequest(
          account,
          request,
          masked,
          Withdrawal.BALANCE_NOT_ABOVE_MINIMUM,
          "balance "
              + balanceNow.cents()
              + " does not exceed the minimum of "
              + rules.withdrawalMinimum().cents(),
          true);
    }
    Money amount = request.amount() == null ? balanceNow : request.amount();
    if (amount.isGreaterThan(balanceNow)) {
      return rejectedRequest(
          account,
          request,
          masked,
          Withdrawal.AMOUNT_EXCEEDS_BALANCE,
          "amount " + amount.cents() + " exceeds the balance of " + balanceNow.cents(),
          true);
    }
    if (!amount.isGreaterThan(fee)) {
      return rejectedRequest(
          account,
          request,
          masked,
          Withdrawal.AMOUNT_NOT_ABOVE_FEE,
          "amount " + amount.cents() + " does not exceed the fee of " + fee.cents(),
          true);
    }
    Money payout = amount.minus(fee);
    String affiliate = account.affiliateId();
    String cause = request.eventId();
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(
        JournalEntry.transfer(
            EntryKind.WITHDRAWAL_ACCEPTED,
            cause,
            affiliate,
            balance(affiliate),
            PAYOUTS_PAYABLE,
            payout,
            cause,
            request.at(),
            null,
            request.withdrawalId()));
    if (fee.isPositive()) {
      entries.add(
          JournalEntry.transfer(
              EntryKind.WITHDRAWAL_FEE,
              cause,
              affiliate,
              balance(affiliate),
              FEE_REVENUE,
              fee,
              cause,
              request.at(),
              null,
              request.withdrawalId()));
    }
    Account next =
        account
            .withBalance(balanceNow.minus(amount))
            .withWithdrawals(account.withdrawn().plus(amount), account.fees().plus(fee));
    for (JournalEntry entry : entries) {
      next = next.recording(entry);
    }
    Withdrawal accepted =
        new Withdrawal(
            request.withdrawalId(),
            affiliate,
            WithdrawalStatus.ACCEPTED,
            request.amount(),
            amount,
            fee,
            payout,
            null,
            null,
            masked,
            cause,
            request.at(),
            BankAccounts.payee(request.iban(), request.swift(), request.holder()),
            null,
            null);
    return new WithdrawalOutcome(next, entries, accepted, accepted, null);
  }

  /** The bank transfer of an accepted withdrawal went through. */
  public WithdrawalOutcome payoutCompleted(
      Account account, Withdrawal withdrawal, String withdrawalId, String eventId, Instant at) {
    Rejected notOpen = unsettled(withdrawal, withdrawalId);
    if (notOpen != null) {
      return new WithdrawalOutcome(account, List.of(), null, null, notOpen);
    }
    String affiliate = account.affiliateId();
    JournalEntry entry =
        JournalEntry.transfer(
            EntryKind.PAYOUT_COMPLETED,
            eventId,
            affiliate,
            PAYOUTS_PAYABLE,
            BANK,
            withdrawal.payout(),
            eventId,
            at,
            null,
            withdrawalId);
    Withdrawal paid = withdrawal.settled(WithdrawalStatus.PAID, null, null, eventId, at);
    return new WithdrawalOutcome(account.recording(entry), List.of(entry), paid, paid, null);
  }

  /** The bank transfer failed: the whole amount, fee included, returns to the balance. */
  public WithdrawalOutcome payoutFailed(
      Account account,
      Withdrawal withdrawal,
      String withdrawalId,
      String eventId,
      String reason,
      Instant at) {
    Rejected notOpen = unsettled(withdrawal, withdrawalId);
    if (notOpen != null) {
      return new WithdrawalOutcome(account, List.of(), null, null, notOpen);
    }
    String affiliate = account.affiliateId();
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(
        JournalEntry.transfer(
            EntryKind.PAYOUT_FAILED,
            eventId,
            affiliate,
            PAYOUTS_PAYABLE,
            balance(affiliate),
            withdrawal.payout(),
            eventId,
            at,
            null,
            withdrawalId));
    if (withdrawal.fee().isPositive()) {
      entries.add(
          JournalEntry.transfer(
              EntryKind.WITHDRAWAL_FEE_RETURNED,
              eventId,
              affiliate,
              FEE_REVENUE,
              balance(affiliate),
              withdrawal.fee(),
              eventId,
              at,
              null,
              withdrawalId));
    }
    Account next =
        account
            .withBalance(account.balance().plus(withdrawal.amount()))
            .withWithdrawals(
                account.withdrawn().minus(withdrawal.amount()),
                account.fees().minus(withdrawal.fee()));
    for (JournalEntry entry : entries) {
      next = next.recording(entry);
    }
    Withdrawal failed =
        withdrawal.settled(WithdrawalStatus.FAILED, Withdrawal.PAYOUT_FAILED, reason, eventId, at);
    return new WithdrawalOutcome(next, entries, failed, failed, null);
  }

  /**
   * Finance puts an accepted withdrawal into payout batch {@code batchId}. Only an accepted
   * withdrawal in no batch yet, with the bank account to pay, may be put in one: so a withdrawal is
   * in at most one batch, and the batch's bank file pays it once. Nothing is journaled: the money
   * left the balance when the withdrawal was accepted.
   */
  public WithdrawalOutcome batch(
      Account account,
      Withdrawal withdrawal,
      String withdrawalId,
      String batchId,
      String eventId,
      Instant at) {
    Rejected notOpen = unsettled(withdrawal, withdrawalId);
    if (notOpen == null && withdrawal.batchId() != null) {
      notOpen =
          new Rejected(
              ALREADY_IN_BATCH,
              "withdrawal " + withdrawalId + " is already in payout batch " + withdrawal.batchId());
    } else if (notOpen == null && withdrawal.payee() == null) {
      notOpen =
          new Rejected(
              NO_BANK_DETAILS,
              "withdrawal "
                  + withdrawalId
                  + " was accepted before the ledger kept bank accounts: replay the ledger (see"
                  + " the runbook) to batch it");
    }
    if (notOpen != null) {
      return new WithdrawalOutcome(account, List.of(), null, null, notOpen);
    }
    Withdrawal batched = withdrawal.inBatch(batchId, eventId, at);
    return new WithdrawalOutcome(account, List.of(), batched, batched, null);
  }

  /** A withdrawal already in another payout batch. */
  public static final String ALREADY_IN_BATCH = "WITHDRAWAL_ALREADY_IN_BATCH";

  /** An accepted withdrawal whose bank account the ledger did not keep. */
  public static final String NO_BANK_DETAILS = "WITHDRAWAL_WITHOUT_BANK_ACCOUNT";

  private static Rejected unsettled(Withdrawal withdrawal, String withdrawalId) {
    if (withdrawal == null) {
      return new Rejected(
          "UNKNOWN_WITHDRAWAL", "withdrawal " + withdrawalId + " was never requested");
    }
    return switch (withdrawal.status()) {
      case ACCEPTED -> null;
      case REJECTED ->
          new Rejected(
              "WITHDRAWAL_NOT_ACCEPTED",
              "withdrawal "
                  + withdrawalId
                  + " was rejected ("
                  + withdrawal.reasonCode()
                  + "): nothing was paid out");
      case PAID, FAILED ->
          new Rejected(
              "WITHDRAWAL_ALREADY_SETTLED",
              "withdrawal " + withdrawalId + " is already " + withdrawal.status());
    };
  }

  private WithdrawalOutcome rejectedRequest(
      Account account,
      WithdrawalRequest request,
      String masked,
      String code,
      String message,
      boolean keep) {
    Money fee = rules.withdrawalFee();
    Money amount =
        request.amount() != null
            ? request.amount()
            : account == null ? Money.ZERO : account.balance();
    Withdrawal rejected =
        new Withdrawal(
            request.withdrawalId(),
            request.affiliateId(),
            WithdrawalStatus.REJECTED,
            request.amount(),
            amount,
            fee,
            Money.max(Money.ZERO, amount.minus(fee)),
            code,
            message,
            masked,
            request.eventId(),
            request.at(),
            null,
            null,
            null);
    return new WithdrawalOutcome(account, List.of(), keep ? rejected : null, rejected, null);
  }

  private static Outcome record(Account account, JournalEntry entry) {
    return new Outcome(account.recording(entry), List.of(entry));
  }
}
