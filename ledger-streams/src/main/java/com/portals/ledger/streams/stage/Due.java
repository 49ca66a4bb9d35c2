package com.portals.ledger.streams.stage;

import java.time.Instant;

/** Something a stage must do at {@code at}, once its watermark reaches it. */
public record Due(Instant at, Runnable action) {}
