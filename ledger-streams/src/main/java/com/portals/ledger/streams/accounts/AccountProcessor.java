package com.portals.ledger.streams.accounts;

import com.portals.ledger.avro.events.PayoutCompleted;
import com.portals.ledger.avro.events.PayoutFailed;
import com.portals.ledger.avro.events.WithdrawalRequested;
import com.portals.ledger.avro.internal.AccountState;
import com.portals.ledger.avro.internal.Movement;
import com.portals.ledger.avro.internal.StageMessage;
import com.portals.ledger.avro.ledger.WithdrawalDecision;
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
import com.portals.ledger.streams.stage.Due;
import com.portals.ledger.streams.stage.Events;
import com.portals.ledger.streams.stage.ScheduleIndex;
import com.portals.ledger.streams.stage.SeenEvents;
import com.portals.ledger.streams.stage.WatermarkedStage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Affiliate accounts, partitioned by affiliate: journals the commission movements of orders, posts
 * completed commission to the balance at the close of the cycle after completion, decides
 * withdrawal requests against the balance and settles payouts. Inputs are applied in event-time
 * order as the watermark passes them, so a withdrawal is decided against exactly the movements that
 * happened before it, whatever partition or stage delayed them.
 *
 * <p>Input: {@code Movement}s and withdrawal events keyed by affiliateId. Output: journal entries
 * ({@code ledger.journal}), balances ({@code ledger.balances}), withdrawal decisions, rejections.
 * Stores: {@code accounts-accounts}, {@code accounts-withdrawals}, {@code accounts-posting-index}
 * (due postings by instant), {@code accounts-seen-events}, the buffer and watermarks.
 */
public final class AccountProcessor extends WatermarkedStage {

  public static final String STAGE = "accounts";
  public static final String ACCOUNTS_STORE = "accounts-accounts";
  public static final String WITHDRAWALS_STORE = "accounts-withdrawals";
  public static final String POSTING_INDEX = "accounts-posting-index";
  public static final String SEEN_STORE = "accounts-seen-events";

  private final AccountBook book;
  private final SettlementCalendar calendar;
  private KeyValueStore<String, AccountState> accounts;
  private KeyValueStore<String, WithdrawalDecision> withdrawals;
  private ScheduleIndex postings;
  private SeenEvents seen;

  public AccountProcessor(List<String> sources, LedgerRules rules) {
    super(STAGE, sources, false);
    this.book = new AccountBook(rules);
    this.calendar = rules.calendar();
  }

  @Override
  protected void initStage() {
    accounts = context.getStateStore(ACCOUNTS_STORE);
    withdrawals = context.getStateStore(WITHDRAWALS_STORE);
    postings = new ScheduleIndex(context.getStateStore(POSTING_INDEX));
    seen = new SeenEvents(context.getStateStore(SEEN_STORE));
  }

  @Override
  protected boolean applyOnArrival(StageMessage message, Instant orderAt) {
    Object body = message.getBody();
    if (body instanceof Movement) {
      return false;
    }
    return rejectIfDuplicate(seen, message);
  }

  @Override
  protected Instant timeOf(SpecificRecord body) {
    return body instanceof Movement movement ? movement.getEffectiveAt() : Events.timeOf(body);
  }

  /**
   * Of the same instant: commission movements first (accrued, completed, cancelled or expired,
   * refunded), then payout results, then withdrawal requests, which see all of them.
   */
  @Override
  protected int priorityOf(SpecificRecord body) {
    if (body instanceof Movement movement) {
      return switch (movement.getKind()) {
        case ACCRUED -> 0;
        case COMPLETED -> 1;
        case CANCELLED, EXPIRED -> 2;
        case REFUNDED -> 3;
      };
    }
    return body instanceof WithdrawalRequested ? 5 : 4;
  }

  @Override
  protected String idOf(SpecificRecord body) {
    return body instanceof Movement movement
        ? movement.getKind() + ":" + movement.getCause()
        : Events.idOf(body);
  }

  @Override
  protected void apply(StageMessage message, Instant orderAt) {
    Object body = message.getBody();
    if (body instanceof Movement movement) {
      applyMovement(Mapping.movement(movement));
    } else if (body instanceof WithdrawalRequested request) {
      decide(message, request);
    } else if (body instanceof PayoutCompleted paid) {
      settle(
          message,
          paid.getAffiliateId(),
          paid.getWithdrawalId(),
          paid.getOccurredAt(),
          (account, withdrawal) ->
              book.payoutCompleted(
                  account,
                  withdrawal,
                  paid.getWithdrawalId(),
                  paid.getEventId(),
                  paid.getOccurredAt()));
    } else {
      PayoutFailed failed = (PayoutFailed) body;
      settle(
          message,
          failed.getAffiliateId(),
          failed.getWithdrawalId(),
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
    AccountState stored = accounts.get(affiliate);
    Account account = stored == null ? Account.open(affiliate) : Mapping.account(stored);
    AccountBook.Outcome outcome = book.apply(account, movement);
    if (movement.kind() == CommissionMovement.Kind.COMPLETED) {
      long cycle = calendar.cycleOf(movement.effectiveAt());
      postings.add(
          calendar.postingInstantOfCycle(cycle),
          affiliate + "\u0000" + cycle,
          affiliate.getBytes(StandardCharsets.UTF_8));
    }
    record(outcome.account(), outcome.entries(), movement.effectiveAt());
  }

  private void decide(StageMessage message, WithdrawalRequested request) {
    String affiliate = request.getAffiliateId();
    AccountState stored = accounts.get(affiliate);
    Account account = stored == null ? null : Mapping.account(stored);
    WithdrawalDecision existing =
        withdrawals.get(withdrawalKey(affiliate, request.getWithdrawalId()));
    WithdrawalOutcome outcome =
        book.request(
            account,
            existing == null ? null : Mapping.withdrawal(existing),
            new WithdrawalRequest(
                request.getEventId(),
                request.getWithdrawalId(),
                affiliate,
                request.getAmountCents() == null ? null : Money.cents(request.getAmountCents()),
                request.getBankAccount().getIban(),
                request.getBankAccount().getSwift(),
                request.getBankAccount().getHolder(),
                request.getOccurredAt()));
    conclude(outcome, request.getOccurredAt());
    if (Withdrawal.UNKNOWN_AFFILIATE.equals(outcome.decision().reasonCode())) {
      reject(message, Withdrawal.UNKNOWN_AFFILIATE, outcome.decision().message());
    }
  }

  private interface Settlement {
    WithdrawalOutcome apply(Account account, Withdrawal withdrawal);
  }

  private void settle(
      StageMessage message,
      String affiliate,
      String withdrawalId,
      Instant at,
      Settlement settlement) {
    AccountState stored = accounts.get(affiliate);
    WithdrawalDecision existing = withdrawals.get(withdrawalKey(affiliate, withdrawalId));
    WithdrawalOutcome outcome =
        settlement.apply(
            stored == null ? null : Mapping.account(stored),
            existing == null ? null : Mapping.withdrawal(existing));
    if (outcome.rejected() != null) {
      reject(message, outcome.rejected().code(), outcome.rejected().message());
      return;
    }
    conclude(outcome, at);
  }

  private void conclude(WithdrawalOutcome outcome, Instant at) {
    if (outcome.withdrawal() != null) {
      Withdrawal w = outcome.withdrawal();
      withdrawals.put(withdrawalKey(w.affiliateId(), w.withdrawalId()), Mapping.decision(w));
    }
    if (outcome.decision() != null) {
      emit(outcome.decision().affiliateId(), Mapping.decision(outcome.decision()), at);
    }
    if (outcome.account() != null && !outcome.entries().isEmpty()) {
      record(outcome.account(), outcome.entries(), at);
    }
  }

  @Override
  protected void beginDrain() {
    postings.resetCursor();
  }

  @Override
  protected Due nextDue(Instant limit) {
    ScheduleIndex.Entry due = postings.firstDue(limit);
    return due == null ? null : new Due(due.at(), () -> post(due));
  }

  private void post(ScheduleIndex.Entry due) {
    postings.take(due);
    String affiliate = new String(due.payload(), StandardCharsets.UTF_8);
    long cycle = Long.parseLong(due.id().substring(affiliate.length() + 1));
    AccountState stored = accounts.get(affiliate);
    if (stored == null) {
      return;
    }
    AccountBook.Outcome outcome = book.post(Mapping.account(stored), cycle);
    if (!outcome.entries().isEmpty()) {
      record(outcome.account(), outcome.entries(), due.at());
    } else {
      accounts.put(affiliate, Mapping.accountState(outcome.account()));
    }
  }

  /** Stores the account and publishes its entries and its balance as of {@code at}. */
  private void record(Account account, List<JournalEntry> entries, Instant at) {
    accounts.put(account.affiliateId(), Mapping.accountState(account));
    for (JournalEntry entry : entries) {
      emit(account.affiliateId(), Mapping.journalEntry(entry), entry.effectiveAt());
    }
    emit(account.affiliateId(), Mapping.balance(account, calendar, at), at);
  }

  private static String withdrawalKey(String affiliateId, String withdrawalId) {
    return affiliateId + "\u0000" + withdrawalId;
  }
}
