package com.portals.ledger.domain.order;

import com.portals.ledger.domain.money.Money;
import com.portals.ledger.domain.money.Rate;

/** A line with the rate applied to it (never below 8%) and the commission it earns. */
public record PricedLine(OrderLine line, Rate rate, Money commission) {}
