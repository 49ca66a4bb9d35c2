package com.portals.ledger.domain.order;

import com.portals.ledger.domain.money.Rate;
import java.time.Instant;
import java.util.Optional;

/** The commission rates of categories over time, as they were set. */
@FunctionalInterface
public interface RateBook {

  /** The rate set for {@code category} with the latest effective time at or before {@code at}. */
  Optional<Rate> rateAt(String category, Instant at);
}
