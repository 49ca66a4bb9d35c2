package com.portals.ledger.projections.http;

import com.portals.ledger.projections.http.ApiTokens.Grant;
import com.portals.ledger.projections.http.ApiTokens.Role;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who may ask what (docs/contract.md "HTTP API"): every request but the health checks carries
 * {@code Authorization: Bearer <token>}; 401 without a known token, 403 outside the token's role;
 * an affiliate token sees its own affiliate only.
 */
final class Access {

  private static final String BEARER = "bearer ";

  private final ApiTokens tokens;

  Access(ApiTokens tokens) {
    this.tokens = tokens;
  }

  /** The grant of the request's token. */
  Grant authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ApiException.unauthorized("MISSING_TOKEN", "missing Authorization: Bearer <token>");
    }
    if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      throw ApiException.unauthorized(
          "MALFORMED_AUTHORIZATION", "Authorization must be 'Bearer <token>'");
    }
    return tokens
        .lookup(header.substring(BEARER.length()).strip())
        .orElseThrow(() -> ApiException.unauthorized("UNKNOWN_TOKEN", "unknown token"));
  }

  /** The request's grant, which must have one of {@code roles}. */
  Grant require(Context ctx, Role... roles) {
    Grant grant = authenticate(ctx);
    if (Arrays.asList(roles).contains(grant.role())) {
      return grant;
    }
    throw ApiException.forbidden(
        "ROLE_NOT_ALLOWED",
        "a "
            + grant.role().name().toLowerCase(Locale.ROOT)
            + " token may not do this; it takes "
            + Arrays.stream(roles)
                .map(r -> r.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" or ")));
  }

  /** The request may read {@code affiliateId}: finance, or that affiliate's own token. */
  Grant requireAffiliate(Context ctx, String affiliateId) {
    Grant grant = require(ctx, Role.FINANCE, Role.AFFILIATE);
    if (grant.role() == Role.AFFILIATE && !grant.affiliateId().equals(affiliateId)) {
      throw ApiException.forbidden(
          "OTHER_AFFILIATE", "an affiliate token sees its own affiliate only");
    }
    return grant;
  }
}
