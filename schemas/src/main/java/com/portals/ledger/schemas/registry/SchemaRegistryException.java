package com.portals.ledger.schemas.registry;

/**
 * A Schema Registry answered with an error, or could not be reached. {@link #status()} is the HTTP
 * status (0 when there was no answer), {@link #errorCode()} the registry's own code (e.g. 40403 for
 * an unknown schema id, 409 for an incompatible schema), -1 when it sent none.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True for an unknown schema id or subject (HTTP 404). */
  public boolean isNotFound() {
    return status == 404;
  }

  /** True when the registry refused a schema as incompatible with the subject's history (409). */
  public boolean isIncompatible() {
    return status == 409;
  }
}
