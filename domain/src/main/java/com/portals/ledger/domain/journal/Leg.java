package com.portals.ledger.domain.journal;

import com.portals.ledger.domain.money.Money;
import java.util.Objects;

/** One side of an entry: a positive amount debits the account, a negative one credits it. */
public record Leg(String account, Money amount) {

  public Leg {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(amount, "amount");
  }

  public static Leg debit(String account, Money amount) {
    return new Leg(account, amount);
  }

  public static Leg credit(String account, Money amount) {
    return new Leg(account, amount.negate());
  }
}
