/**
 * The commission ledger's rules as plain Java, with no Kafka in sight: money and rates ({@code
 * money}), settlement cycles ({@code time}), attribution of orders to clicks ({@code attribution}),
 * the order lifecycle and its commission ({@code order}), affiliate accounts, withdrawals and
 * payouts ({@code account}), and the double-entry journal ({@code journal}).
 *
 * <p>Each decision is a pure function of a state and an input that returns what happened (journal
 * entries, decisions) and the next state. The streams module loads state, calls these rules and
 * stores what they return; the reference model in the tests folds the same rules over a list.
 */
package com.portals.ledger.domain;
