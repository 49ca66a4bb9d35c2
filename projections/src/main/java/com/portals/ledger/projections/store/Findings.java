package com.portals.ledger.projections.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The stored form of a finding in {@link ProjectionStores#DIFFERENCES}: its JSON. */
public final class Findings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Findings() {}

  public static String encode(AffiliateChecks.Finding finding) {
    try {
      return JSON.writeValueAsString(finding);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a finding that Jackson cannot write: " + finding, e);
    }
  }

  public static AffiliateChecks.Finding decode(String stored) {
    try {
      return JSON.readValue(stored, AffiliateChecks.Finding.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored finding that is not one: " + stored, e);
    }
  }
}
