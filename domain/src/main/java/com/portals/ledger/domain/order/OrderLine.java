package com.portals.ledger.domain.order;

import com.portals.ledger.domain.money.Money;

/** One line of an order; {@code amount} is the line total, the base of its commission. */
public record OrderLine(String productId, String category, Money amount, int quantity) {}
