/**
 * ISO 20022 bank files for paying affiliates out: Finance downloads a batch of payouts as a
 * customer credit transfer initiation ({@link com.portals.ledger.projections.payout.Pain001
 * pain.001.001.09}) for the bank, and uploads the bank's payment status report ({@link
 * com.portals.ledger.projections.payout.Pain002 pain.002.001.10}) back.
 *
 * <p>Only the JDK's StAX is used: the two messages are small, their layout is fixed by ISO's
 * schemas, and a bank file is no reason for a new runtime dependency. The schemas themselves are
 * used by the tests only, to check that every file written validates.
 */
package com.portals.ledger.projections.payout;
