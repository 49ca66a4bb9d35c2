package com.portals.ledger.projections.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.portals.ledger.projections.query.ReadModel.BalanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AffiliateRankingTest {

  private static final Instant REFRESH = Instant.parse("2026-03-16T00:00:00Z");

  @Test
  void shouldListTheLargestBalancesFirstTiesByIdAndCutAtTheLimit() {
    AffiliateRanking.Builder ranking =
        new AffiliateRanking.Builder(AffiliateRanking.Query.parse(null, "3"));
    ranking.add(view("aff-1", 0, 500));
    ranking.add(view("aff-2", 900, 100));
    ranking.add(view("aff-3", 0, 700));
    ranking.add(view("aff-0", 0, 500));

    assertThat(ranking.build().rows())
        .extracting(AffiliateRanking.Row::affiliateId)
        .containsExactly("aff-3", "aff-0", "aff-1");
  }

  @Test
  void shouldCountEverythingPostedOrOnItsWayAsEarned() {
    AffiliateRanking.Row row =
        AffiliateRanking.Row.of(
            new BalanceView("aff-1", 1234, 400, 2000, 1500, 1500, REFRESH, REFRESH, 7));

    assertThat(row.earnedCents()).isEqualTo(1234 + 400 + 2000 + 1500 + 1500);
    assertThat(row.nextRefreshAt()).isEqualTo("2026-03-16T00:00:00Z");
  }

  @Test
  void shouldGiveTheSameRowsWhenInstancesMergeTheirPartsAsOneRankingOfAll() throws Exception {
    Random random = new Random(42);
    AffiliateRanking.Query query = AffiliateRanking.Query.parse("earned", "10");
    AffiliateRanking.Builder all = new AffiliateRanking.Builder(query);
    List<AffiliateRanking.Builder> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(new AffiliateRanking.Builder(query));
    }
    for (int i = 0; i < 200; i++) {
      BalanceView view = view("aff-" + i, random.nextInt(50) * 100, random.nextInt(50) * 100);
      all.add(view);
      parts.get(random.nextInt(3)).add(view);
    }
    ObjectMapper json = new ObjectMapper();
    AffiliateRanking merged = parts.get(0).build();
    for (AffiliateRanking.Builder part : parts.subList(1, 3)) {
      // As one instance reads another's part: through JSON.
      AffiliateRanking sent =
          json.readValue(json.writeValueAsString(part.build()), AffiliateRanking.class);
      merged = merged.plus(sent, query);
    }

    assertThat(merged).isEqualTo(all.build());
    assertThat(merged.rows()).hasSize(10);
  }

  @Test
  void shouldRefuseAnUnknownSortAndALimitOutOfRange() {
    assertThatThrownBy(() -> AffiliateRanking.Query.parse("income", null))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("balance or earned");
    for (String limit : new String[] {"0", "1001", "ten", "-1"}) {
      assertThatThrownBy(() -> AffiliateRanking.Query.parse(null, limit))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("from 1 to 1000");
    }
    assertThat(AffiliateRanking.Query.parse(" EARNED ", " 1000 "))
        .isEqualTo(new AffiliateRanking.Query(AffiliateRanking.Order.EARNED, 1000));
  }

  private static BalanceView view(String id, long pending, long balance) {
    return new BalanceView(id, pending, 0, balance, 0, 0, REFRESH, REFRESH, 1);
  }
}
