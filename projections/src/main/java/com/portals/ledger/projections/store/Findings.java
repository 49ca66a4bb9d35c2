package com.portals.ledger.projections.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The stored form of findings in {@link ProjectionStores#DIFFERENCES}: an entry's finding as a JSON
 * object, an affiliate's account findings as a JSON array under one key.
 */
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

  /** The stored form of an affiliate's account findings: a JSON array. */
  public static String encodeAll(List<AffiliateChecks.Finding> findings) {
    try {
      return JSON.writeValueAsString(findings);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("findings that Jackson cannot write: " + findings, e);
    }
  }

  /** The findings stored under one key: an array (an account's) or one object (an entry's). */
  public static List<AffiliateChecks.Finding> decodeAll(String stored) {
    if (!stored.startsWith("[")) {
      return List.of(decode(stored));
    }
    try {
      return List.of(JSON.readValue(stored, AffiliateChecks.Finding[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored findings that are not: " + stored, e);
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
