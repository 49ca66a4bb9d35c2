package com.portals.ledger.domain.account;

import com.portals.ledger.domain.money.Money;
import java.time.Instant;

/**
 * An affiliate asks to withdraw {@code amount} (null: the whole balance) to a bank account.
 *
 * @param eventId the request's event id
 */
public record WithdrawalRequest(
    String eventId,
    String withdrawalId,
    String affiliateId,
    Money amount,
    String iban,
    String swift,
    String holder,
    Instant at) {}
