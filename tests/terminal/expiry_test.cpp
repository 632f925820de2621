// Points expire as the program says, always as ledger entries.
#include <gtest/gtest.h>

#include "engine/expiry.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

std::int64_t Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                               std::chrono::day{d}}
      .time_since_epoch()
      .count();
}

TEST(PeriodExpiryTest, EndOfPeriodOnTheStoresCalendar) {
  engine::Program p;
  p.expire_at_end_of = engine::Program::Period::kYear;
  p.expiry_periods_after = 1;  // end of next year
  EXPECT_EQ(engine::PeriodEndExpiryDay(p, Day(2026, 3, 15)), Day(2028, 1, 1));
  p.expire_at_end_of = engine::Program::Period::kQuarter;
  p.expiry_periods_after = 0;
  EXPECT_EQ(engine::PeriodEndExpiryDay(p, Day(2026, 5, 31)), Day(2026, 7, 1));
  p.expire_at_end_of = engine::Program::Period::kMonth;
  EXPECT_EQ(engine::PeriodEndExpiryDay(p, Day(2026, 12, 31)), Day(2027, 1, 1));
}

TEST(ExpiryTest, PointsEarnedThisMonthExpireAtItsEnd) {
  TestTerminal t(testing::DefaultProgramJson(
      R"("time_zone": "Europe/Paris", "points": {"expire_at_end_of": "month"})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  t.clock.AdvanceDays(10);  // 2026-01-11
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({4200}), 0}).ok());
  t.clock.AdvanceDays(20);  // 2026-01-31, 00:00 UTC = 01:00 Paris: still January
  EXPECT_EQ(t->Lookup(Card("LC0001"))->available, 42);
  t.clock.AdvanceMs(23 * 3'600'000);  // 23:00 UTC = 00:00 Paris, 1 February
  EXPECT_EQ(t->Lookup(Card("LC0001"))->available, 0);
  auto expired = t->ExpirePoints("expiry-feb");
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 0);
  EXPECT_TRUE(t->Verify()->ok);
}

// Balance reads the account's cached lot sums while no lot matures or
// expires (schema 11); at every moment it must say what the lots say.
TEST(ExpiryTest, BalanceIsExactAsLotsMatureAndExpire) {
  TestTerminal t(testing::DefaultProgramJson(
      R"("points": {"pending_days": 14, "expiry_days": 30})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok());  // day 0
  t.clock.AdvanceDays(5);
  ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), Eur({2000}), 0}).ok());  // day 5
  t.clock.AdvanceDays(10);
  ASSERT_TRUE(t->Commit({"s3", Card("LC0001"), Eur({4000}), 0}).ok());  // day 15
  const auto check = [&](Points available, Points pending) {
    auto b = t->Balance(Card("LC0001"));
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    auto view = t->Lookup(Card("LC0001"));
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(b->available, available);
    EXPECT_EQ(b->pending, pending);
    EXPECT_EQ(b->available, view->available);
    EXPECT_EQ(b->pending, view->pending);
  };
  // Day 15: s1 matured at day 14; s2 (day 19) and s3 (day 29) pending.
  check(10, 60);
  t.clock.AdvanceMs(4 * std::int64_t{86'400'000} - 1);
  check(10, 60);
  t.clock.AdvanceMs(1);  // day 19: s2 matures
  check(30, 40);
  t.clock.AdvanceDays(10);  // day 29: s3 matures
  check(70, 0);
  t.clock.AdvanceDays(1);  // day 30: s1 expires
  check(60, 0);
  t.clock.AdvanceDays(-15);  // a clock set back to day 15: the sums follow it
  check(10, 60);
  t.clock.AdvanceDays(25);  // day 40: s2 expired
  check(40, 0);
  ASSERT_TRUE(t->Redeem({"r1", Card("LC0001"), 15, "coffee"}).ok());
  check(25, 0);
  t.clock.AdvanceDays(5);  // day 45: everything expired
  check(0, 0);
  EXPECT_TRUE(t->Verify()->ok);
}

TEST(ExpiryTest, InactiveAccountsLoseTheirPointsByEntry) {
  TestTerminal t(testing::DefaultProgramJson(R"("points": {"inactivity_days": 180})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Enroll({"e2", Card("LC0002"), "", "Bob"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());
  ASSERT_TRUE(t->Commit({"s2", Card("LC0002"), Eur({7000}), 0}).ok());
  t.clock.AdvanceDays(100);
  ASSERT_TRUE(t->Commit({"s3", Card("LC0002"), Eur({100}), 0}).ok());  // Bob stays active
  t.clock.AdvanceDays(90);
  auto expired = t->ExpirePoints("expiry-run");
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].redeemed, 50);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 0);
  EXPECT_EQ(t->Lookup(Card("LC0002"))->balance, 71);
  auto history = t->History(Card("LC0001"));
  EXPECT_EQ(history->front().note, "no purchase for 180 days");
  // The rebuild replays the inactivity entry the same way.
  ASSERT_TRUE(t->RebuildBalances().ok());
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 0);
  EXPECT_TRUE(t->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
