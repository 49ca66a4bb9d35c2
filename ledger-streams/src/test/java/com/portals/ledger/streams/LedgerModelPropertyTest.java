package com.portals.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.ledger.Balance;
import com.portals.ledger.avro.ledger.OrderState;
import com.portals.ledger.domain.account.Account;
import com.portals.ledger.domain.journal.JournalEntry;
import com.portals.ledger.domain.journal.LedgerAccount;
import com.portals.ledger.domain.journal.Leg;
import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.order.Order;
import com.portals.ledger.domain.rules.LedgerRules;
import com.portals.ledger.streams.ReferenceModel.Result;
import com.portals.ledger.streams.mapping.Mapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The topology and the reference model, fed the same random history (out-of-order lifecycle events,
 * duplicates, refunds, 60-day releases, balance refreshes, withdrawals, payout results), must agree
 * entry for entry: the journal of every affiliate, every balance, every withdrawal decision, every
 * rejection, every order. And the topology's journal must explain its balances: legs sum to zero,
 * each balance is the sum of its legs, no withdrawal overdraws a balance.
 */
class LedgerModelPropertyTest {

  @Property(tries = 60)
  void shouldAgreeWithTheReferenceModel(@ForAll long seed) {
    List<String> history = Histories.generate(seed);
    ReferenceModel model = new ReferenceModel(LedgerRules.DEFAULTS);
    history.forEach(model::publish);
    Result expected = model.result();

    try (LedgerDriver ledger = new LedgerDriver()) {
      history.forEach(ledger::given);

      assertThat(Outputs.journalByAffiliate(ledger.journal()))
          .as("journal, seed %d", seed)
          .isEqualTo(expected.journal());
      assertThat(Outputs.decisionsByAffiliate(ledger.decisions()))
          .as("withdrawal decisions, seed %d", seed)
          .isEqualTo(expected.decisions());
      assertThat(Outputs.rejected(ledger.rejections()))
          .as("rejections, seed %d", seed)
          .containsExactlyInAnyOrderElementsOf(expected.rejections());
      assertThat(ordersOf(ledger)).as("orders, seed %d", seed).isEqualTo(expected.orders());
      for (Map.Entry<String, Account> account : expected.accounts().entrySet()) {
        Balance balance = ledger.balance(account.getKey());
        assertThat(balance).as("balance of %s, seed %d", account.getKey(), seed).isNotNull();
        assertThat(Outputs.figures(balance))
            .as("balance of %s, seed %d", account.getKey(), seed)
            .isEqualTo(Outputs.figures(account.getValue()));
      }
      assertThat(ledger.balances().keySet())
          .as("accounts, seed %d", seed)
          .isEqualTo(expected.accounts().keySet());
      journalExplainsBalances(ledger, seed);
    }
  }

  private static Map<String, Order> ordersOf(LedgerDriver ledger) {
    Map<String, Order> orders = new LinkedHashMap<>();
    for (OrderState state : ledger.orderStates()) {
      orders.put(state.getOrderId(), Mapping.order(state));
    }
    return orders;
  }

  private static void journalExplainsBalances(LedgerDriver ledger, long seed) {
    List<JournalEntry> journal = ledger.journal().stream().map(Mapping::journalEntry).toList();
    for (JournalEntry entry : journal) {
      assertThat(entry.legs().stream().map(Leg::amount).reduce(Money.ZERO, Money::plus))
          .as("legs of %s", entry.entryId())
          .isEqualTo(Money.ZERO);
    }
    for (Balance balance : ledger.balances().values()) {
      String affiliate = balance.getAffiliateId();
      assertThat(liability(journal, LedgerAccount.pending(affiliate)))
          .as("pending of %s, seed %d", affiliate, seed)
          .isEqualTo(balance.getPendingCents());
      assertThat(liability(journal, LedgerAccount.awaitingRefresh(affiliate)))
          .as("awaiting of %s, seed %d", affiliate, seed)
          .isEqualTo(balance.getAwaitingRefreshCents());
      assertThat(liability(journal, LedgerAccount.balance(affiliate)))
          .as("balance of %s, seed %d", affiliate, seed)
          .isEqualTo(balance.getBalanceCents());
    }
    // No accepted withdrawal overdraws a balance: after each entry of the journal (in the order
    // the ledger wrote an affiliate's entries), the affiliate's balance is not negative unless a
    // refund took back commission already posted (the affiliate then owes it).
    Map<String, Long> running = new LinkedHashMap<>();
    for (JournalEntry entry : journal) {
      String account = LedgerAccount.balance(entry.affiliateId());
      long after = running.merge(entry.affiliateId(), -entry.netOn(account).cents(), Long::sum);
      if (entry.kind() == com.portals.ledger.domain.journal.EntryKind.WITHDRAWAL_FEE
          || entry.kind() == com.portals.ledger.domain.journal.EntryKind.WITHDRAWAL_ACCEPTED) {
        assertThat(after).as("balance after %s, seed %d", entry.entryId(), seed).isNotNegative();
      }
    }
  }

  private static long liability(List<JournalEntry> journal, String account) {
    return -journal.stream().mapToLong(entry -> entry.netOn(account).cents()).sum();
  }
}
