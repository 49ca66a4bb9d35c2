package com.portals.ledger.schemas;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro which classes it may instantiate when it decodes into generated records.
 *
 * <p>Avro 1.12 refuses to load classes by name unless they are on an allow-list (a guard against
 * deserialization gadgets). The ledger extends the allow-list with exactly its own generated
 * classes, by name. Avro's default predicate stays in force for everything else: nothing is trusted
 * by package and the check is never switched off.
 */
public final class AvroTrust {

  private static final Set<String> trusted = new HashSet<>();
  private static boolean installed;

  private AvroTrust() {}

  /** Trusts the generated classes of the schemas shipped in this module. Idempotent. */
  public static synchronized void install() {
    if (!installed) {
      installed = true;
      trust(SchemaCatalog.builtInGeneratedClasses());
    }
  }

  /** The class names trusted by this class so far. */
  public static synchronized Set<String> trustedClassNames() {
    return Set.copyOf(trusted);
  }

  static synchronized void trust(Collection<String> classNames) {
    Set<String> fresh = new HashSet<>(classNames);
    fresh.removeAll(trusted);
    if (fresh.isEmpty()) {
      return;
    }
    trusted.addAll(fresh);
    ClassSecurityValidator.Builder allowList = ClassSecurityValidator.builder();
    fresh.forEach(allowList::add);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), allowList.build()));
  }
}
