package com.portals.ledger.domain.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BankAccountsTest {

  @ParameterizedTest
  @CsvSource({
    "DE89370400440532013000, COBADEFFXXX",
    "GB29NWBK60161331926819, NWBKGB2L",
    "FR1420041010050500013M02606, BNPAFRPP",
    "de89 3704 0044 0532 0130 00, cobadeffxxx",
    "NO9386011117947, DNBANOKK",
  })
  void shouldAcceptValidAccounts(String iban, String swift) {
    assertThat(BankAccounts.problem(iban, swift)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "DE89370400440532013001, COBADEFFXXX, check digits",
    "DE8937040044053201300, COBADEFFXXX, has 22 characters, not 21",
    "XX, COBADEFFXXX, is not an IBAN",
    "'', COBADEFFXXX, is not an IBAN",
    "DE89370400440532013000, COBADE, SWIFT/BIC",
    "DE89370400440532013000, COBADEFFXX, SWIFT/BIC",
    "DE89370400440532013000, 1OBADEFFXXX, SWIFT/BIC of 11 characters",
    "DE89/3704/0044/0532/0130/00, COBADEFFXXX, IBAN ****0/00 is not an IBAN",
    "DE89370400440532013000, SECRETBANK1234, SWIFT/BIC of 14 characters",
  })
  void shouldNameWhatIsWrongButNeverTheAccountWhole(String iban, String swift, String problem) {
    assertThat(BankAccounts.problem(iban, swift))
        .hasValueSatisfying(
            p -> {
              assertThat(p).contains(problem);
              if (iban.length() > 4) {
                assertThat(p).doesNotContain(iban);
              }
              assertThat(p).doesNotContain(swift);
            });
  }

  @ParameterizedTest
  @CsvSource({
    "DE89370400440532013000, ****3000",
    "AB1, ****",
    "DE89/3704/0044/0532/0130/00, ****0/00",
    "12345678, ****"
  })
  void shouldMaskAllButTheLastFour(String iban, String masked) {
    assertThat(BankAccounts.mask(iban)).isEqualTo(masked);
  }
}
