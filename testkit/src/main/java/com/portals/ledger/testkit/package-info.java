/** Real-broker test support. */
package com.portals.ledger.testkit;
