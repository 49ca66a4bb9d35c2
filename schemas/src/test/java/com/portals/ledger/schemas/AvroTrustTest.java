package com.portals.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.portals.ledger.avro.events.BankAccount;
import com.portals.ledger.avro.events.OrderEvent;
import com.portals.ledger.avro.events.PromotionType;
import com.portals.ledger.avro.ledger.JournalLeg;
import java.io.File;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

  @Test
  void shouldTrustTheLedgersGeneratedClassesIncludingNestedTypes() {
    AvroTrust.install();

    for (Class<?> type :
        new Class<?>[] {
          OrderEvent.class, BankAccount.class, PromotionType.class, JournalLeg.class
        }) {
      assertThat(ClassSecurityValidator.getGlobal().isTrusted(type)).as(type.getName()).isTrue();
    }
  }

  @Test
  void shouldLeaveEveryOtherClassToAvrosDefaultRules() {
    AvroTrust.install();

    assertThat(ClassSecurityValidator.getGlobal().isTrusted(File.class)).isFalse();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(AvroTrustTest.class)).isFalse();
    assertThat(AvroTrust.trustedClassNames())
        .allMatch(name -> name.startsWith("com.portals.ledger.avro."));
  }
}
