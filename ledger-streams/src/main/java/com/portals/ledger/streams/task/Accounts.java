package com.portals.ledger.streams.task;

import com.portals.ledger.avro.events.PayoutBatched;
import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.Buffered;
import com.portals.ledger.avro.internal.Movement;
import com.portals.ledger.avro.internal.Origin;
import com.portals.ledger.avro.internal.WithdrawalRecord;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.account.AccountBook;
import com.portals.ledger.domain.account.AccountBook.WithdrawalOutcome;
import com.portals.ledger.domain.account.Withdrawal;
import com.portals.ledger.domain.account.WithdrawalRequest;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.order.CommissionMovement;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.domain.time.SettlementCalendar;
import com.portals.ledger.streams.mapping.Mapping;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.Rejections;
import com.portals.ledger.streams.state.WriteBackStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * Affiliate accounts, for the affiliates of one partition: journals the commission movements of
 * orders, posts completed commission to the balance at the close of the cycle after completion,
 * decides withdrawal requests against the balance and settles payouts. Inputs are applied in the
 * order of their ordering instants once the lowest orders frontier has passed them, so a withdrawal
 * is decided against exactly the movements ordered before it, whatever partition delayed them.
 *
 * <p>Of the same instant: commission movements first (accrued, completed, cancelled or expired,
 * refunded), then payout results, then withdrawal requests, which see all of them. Every event id
 * that names a withdrawal is kept with it, so that a duplicate is recognised whenever it comes.
 *
 * <p>Out: journal entries ({@code ledger.journal}), one balance per affiliate whose account a drain
 * changed ({@code ledger.balances}, in the same transaction as the entries), withdrawal decisions,
 * rejections. Stores: {@code ledger-accounts}, {@code ledger-withdrawals}, inputs in the buffer,
 * postings in the schedule.
 */
final class Accounts extends OrderedStage {

  static final int POSTING = 0;

  private final AccountBook book;
  private final SettlementCalendar calendar;
  private final WriteBackStore<AccountState> accounts;
  private final WriteBackStore<WithdrawalRecord> withdrawals;
  private final Map<String, Touched> touched = new LinkedHashMap<>();

  private record Touched(Account account, Instant at) {}

  Accounts(
      LedgerRules rules,
      WriteBackStore<AccountState> accounts,
      WriteBackStore<WithdrawalRecord> withdrawals,
      WriteBackStore<Buffered> buffer,
      Schedule schedule,
      Outbox outbox) {
    super(StoreKeys.ACCOUNTS, buffer, schedule, outbox);
    this.book = new AccountBook(rules);
    this.calendar = rules.calendar();
    this.accounts = accounts;
    this.withdrawals = withdrawals;
  }

  void init() {
    resetFloor();
    touched.clear();
  }

  /**
   * A withdrawal request, payout result or batch assignment, to apply in order. At one instant,
   * payout results come first, then requests, then assignments: an assignment published at the
   * instant its withdrawal was decided finds it decided.
   */
  void input(Origin origin, SpecificRecord event, long orderAt, byte[] seq) {
    int priority =
        event instanceof WithdrawalRequested ? 5 : event instanceof PayoutBatched ? 6 : 4;
    enqueue(
        StoreKeys.input(StoreKeys.ACCOUNTS, orderAt, priority, Events.idOf(event), seq),
        new Buffered(origin, event, true, null));
  }

  /** A commission movement, to apply in order. */
  void movement(Movement movement, long orderAt) {
    int priority =
        switch (movement.getKind()) {
          case ACCRUED -> 0;
          case COMPLETED -> 1;
          case CANCELLED, EXPIRED -> 2;
          case REFUNDED -> 3;
        };
    enqueue(
        StoreKeys.input(
            StoreKeys.ACCOUNTS,
            orderAt,
            priority,
            movement.getKind() + ":" + movement.getCause(),
            null),
        new Buffered(null, movement, true, null));
  }

  /** Drains, then publishes the balance of every affiliate the drain changed. */
  @Override
  long drain(long limit) {
    long reached = super.drain(limit);
    for (Map.Entry<String, Touched> account : touched.entrySet()) {
      Instant at = account.getValue().at();
      outbox.output(
          Outbox.Output.BALANCES,
          account.getKey(),
          Mapping.balance(account.getValue().account(), calendar, at),
          at.toEpochMilli());
    }
    touched.clear();
    return reached;
  }

  @Override
  protected void apply(Buffered input, long orderAt) {
    Object body = input.getBody();
    if (body instanceof Movement movement) {
      applyMovement(Mapping.movement(movement));
    } else if (body instanceof WithdrawalRequested request) {
      decide(input, request);
    } else if (body instanceof PayoutCompleted paid) {
      settle(
          input,
          paid.getAffiliateId(),
          paid.getWithdrawalId(),
          paid.getEventId(),
          paid.getOccurredAt(),
          (account, withdrawal) ->
              book.payoutCompleted(
                  account,
                  withdrawal,
                  paid.getWithdrawalId(),
                  paid.getEventId(),
                  paid.getOccurredAt()));
    } else if (body instanceof PayoutBatched batched) {
      settle(
          input,
          batched.getAffiliateId(),
          batched.getWithdrawalId(),
          batched.getEventId(),
          batched.getOccurredAt(),
          (account, withdrawal) ->
              book.batch(
                  account,
                  withdrawal,
                  batched.getWithdrawalId(),
                  batched.getBatchId(),
                  batched.getEventId(),
                  batched.getOccurredAt()));
    } else {
      PayoutFailed failed = (PayoutFailed) body;
      settle(
          input,
          failed.getAffiliateId(),
          failed.getWithdrawalId(),
          failed.getEventId(),
          failed.getOccurredAt(),
          (account, withdrawal) ->
              book.payoutFailed(
                  account,
                  withdrawal,
                  failed.getWithdrawalId(),
                  failed.getEventId(),
                  failed.getReason(),
                  failed.getOccurredAt()));
    }
  }

  private void applyMovement(CommissionMovement movement) {
    String affiliate = movement.affiliateId();
    Account account = account(affiliate);
    AccountBook.Outcome outcome =
        book.apply(account == null ? Account.open(affiliate) : account, movement);
    if (movement.kind() == CommissionMovement.Kind.COMPLETED) {
      long cycle = calendar.cycleOf(movement.effectiveAt());
      schedule.addIfAbsent(
          StoreKeys.ACCOUNTS,
          calendar.postingInstantOfCycle(cycle).toEpochMilli(),
          POSTING,
          affiliate + "\u0000" + cycle,
          affiliate.getBytes(StandardCharsets.UTF_8));
    }
    record(outcome.account(), outcome.entries(), movement.effectiveAt());
  }

  private void decide(Buffered input, WithdrawalRequested request) {
    String affiliate = request.getAffiliateId();
    Bytes key = withdrawalKey(affiliate, request.getWithdrawalId());
    WithdrawalRecord known = withdrawals.get(key);
    if (known != null && known.getEvents().contains(request.getEventId())) {
      duplicate(input, request.getEventId());
      return;
    }
    WithdrawalOutcome outcome =
        book.request(
            account(affiliate),
            known == null || known.getDecision() == null
                ? null
                : Mapping.withdrawal(known.getDecision()),
            new WithdrawalRequest(
                request.getEventId(),
                request.getWithdrawalId(),
                affiliate,
                request.getAmountCents() == null ? null : Money.cents(request.getAmountCents()),
                request.getBankAccount().getIban(),
                request.getBankAccount().getSwift(),
                request.getBankAccount().getHolder(),
                request.getOccurredAt()));
    conclude(key, known, request.getEventId(), outcome, request.getOccurredAt());
    if (Withdrawal.UNKNOWN_AFFILIATE.equals(outcome.decision().reasonCode())) {
      outbox.reject(
          input.getOrigin(),
          Withdrawal.UNKNOWN_AFFILIATE,
          outcome.decision().message(),
          request.getEventId(),
          request.getOccurredAt());
    }
  }

  private interface Settlement {
    WithdrawalOutcome apply(Account account, Withdrawal withdrawal);
  }

  private void settle(
      Buffered input,
      String affiliate,
      String withdrawalId,
      String eventId,
      Instant at,
      Settlement settlement) {
    Bytes key = withdrawalKey(affiliate, withdrawalId);
    WithdrawalRecord known = withdrawals.get(key);
    if (known != null && known.getEvents().contains(eventId)) {
      duplicate(input, eventId);
      return;
    }
    WithdrawalOutcome outcome =
        settlement.apply(
            account(affiliate),
            known == null || known.getDecision() == null
                ? null
                : Mapping.withdrawal(known.getDecision()));
    if (outcome.rejected() != null) {
      outbox.reject(
          input.getOrigin(), outcome.rejected().code(), outcome.rejected().message(), eventId, at);
      remember(key, known, eventId, null);
      return;
    }
    conclude(key, known, eventId, outcome, at);
  }

  private void conclude(
      Bytes key, WithdrawalRecord known, String eventId, WithdrawalOutcome outcome, Instant at) {
    remember(key, known, eventId, outcome.withdrawal());
    if (outcome.decision() != null) {
      outbox.output(
          Outbox.Output.WITHDRAWAL_DECISIONS,
          outcome.decision().affiliateId(),
          Mapping.decision(outcome.decision()),
          at.toEpochMilli());
    }
    if (outcome.account() != null && !outcome.entries().isEmpty()) {
      record(outcome.account(), outcome.entries(), at);
    }
  }

  /** Keeps the event id with its withdrawal, and the withdrawal's new state if it changed. */
  private void remember(Bytes key, WithdrawalRecord known, String eventId, Withdrawal changed) {
    WithdrawalRecord record = known != null ? known : new WithdrawalRecord(null, new ArrayList<>());
    record.getEvents().add(eventId);
    if (changed != null) {
      record.setDecision(Mapping.decision(changed));
    }
    withdrawals.put(key, record);
  }

  @Override
  protected void act(Bytes key, byte[] payload, long at, int kind) {
    String affiliate = new String(payload, StandardCharsets.UTF_8);
    String id = new String(key.get(), 10, key.get().length - 10, StandardCharsets.UTF_8);
    long cycle = Long.parseLong(id.substring(affiliate.length() + 1));
    Account account = account(affiliate);
    if (account == null) {
      return;
    }
    AccountBook.Outcome outcome = book.post(account, cycle);
    if (!outcome.entries().isEmpty()) {
      record(outcome.account(), outcome.entries(), Instant.ofEpochMilli(at));
    } else {
      accounts.put(StoreKeys.utf8(affiliate), Mapping.accountState(outcome.account()));
    }
  }

  private Account account(String affiliate) {
    AccountState stored = accounts.get(StoreKeys.utf8(affiliate));
    return stored == null ? null : Mapping.account(stored);
  }

  /** Stores the account, publishes its entries, and marks its balance for publishing. */
  private void record(Account account, List<JournalEntry> entries, Instant at) {
    accounts.put(StoreKeys.utf8(account.affiliateId()), Mapping.accountState(account));
    for (JournalEntry entry : entries) {
      outbox.output(
          Outbox.Output.JOURNAL,
          account.affiliateId(),
          Mapping.journalEntry(entry),
          entry.effectiveAt().toEpochMilli());
    }
    touched.put(account.affiliateId(), new Touched(account, at));
  }

  private void duplicate(Buffered input, String eventId) {
    outbox.reject(
        input.getOrigin(),
        Rejections.DUPLICATE_EVENT,
        "event " + eventId + " was already applied to its withdrawal",
        eventId,
        Events.timeOf(input.getBody()));
  }

  private static Bytes withdrawalKey(String affiliateId, String withdrawalId) {
    byte[] affiliate = affiliateId.getBytes(StandardCharsets.UTF_8);
    byte[] withdrawal = withdrawalId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(4 + affiliate.length + withdrawal.length)
            .putInt(affiliate.length)
            .put(affiliate)
            .put(withdrawal)
            .array());
  }
}
