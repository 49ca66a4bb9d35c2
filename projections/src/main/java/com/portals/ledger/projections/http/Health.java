package com.portals.ledger.projections.http;

import java.util.Map;

/**
 * Whether the ledger is running, with details for people (component states, addresses).
 *
 * @param up true once every component the ledger needs is running
 * @param details what each component reported
 */
public record Health(boolean up, Map<String, Object> details) {}
