package com.portals.ledger.domain.attribution;

/**
 * The affiliate's tracking strings of a click: the tracking id, the custom strings {@code af}
 * (sub-affiliate), {@code cn} (campaign), {@code cv} (creative), {@code dp} (dynamic parameter),
 * and the promotion type. Any of them may be absent (null); their names never change.
 */
public record Tracking(
    String trackingId, String af, String cn, String cv, String dp, String promotionType) {

  public static final Tracking NONE = new Tracking(null, null, null, null, null, null);
}
