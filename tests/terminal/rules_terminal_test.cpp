// The program at the till: tiers that move with rolling spend, segments,
// the store's time zone, rewards re-checked at commit, line returns.
#include <gtest/gtest.h>

#include <random>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::TestTerminal;

BasketLine Line(std::string sku, std::string category, std::int64_t qty, std::int64_t amount) {
  return {std::move(sku), std::move(category), qty, amount, false};
}

const char* kSupermarket = R"({"format": 1, "id": "super", "version": 1, "currency": "EUR",
  "time_zone": "Europe/Paris",
  "earn": {"points": 1, "per": "1.00"},
  "exclusions": {"categories": ["tobacco"]},
  "rules": [{"id": "dairy-tuesday", "points": 1, "per": "1.00", "categories": ["dairy"],
             "when": {"weekdays": ["tue"]}, "explain": "2x points on dairy on Tuesdays"}],
  "tiers": {"measure": "spend", "window_days": 30, "levels": [
    {"id": "bronze", "threshold": "0.00"},
    {"id": "silver", "threshold": "100.00", "multiplier": 2}]},
  "segments": {"new_days": 7, "window_days": 30, "loyal_visits": 3, "lapsing_days": 20},
  "bonuses": {"signup": 25, "events": {"review": 40}},
  "caps": {"per_day": 300},
  "rewards": [
    {"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00", "per_customer": 1},
    {"id": "spa", "kind": "voucher", "cost": 20, "amount": "25.00", "stock": 1},
    {"id": "weekly-coffee", "kind": "voucher", "cost": 1, "amount": "2.00",
     "per_period": {"count": 1, "days": 7}}]})";

class RulesAtTheTillTest : public ::testing::Test {
 protected:
  RulesAtTheTillTest() : t_(kSupermarket) {}
  void SetUp() override {
    auto e = t_->Enroll({"e1", Card("LC0001"), "", "Ada"});
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->earned, 25);  // sign-up bonus, spendable at once
  }
  Basket Buy(std::int64_t amount) { return {"EUR", {Line("X", "grocery", 1, amount)}}; }
  CardView View() { return *t_->Lookup(Card("LC0001")); }
  TestTerminal t_;
};

TEST_F(RulesAtTheTillTest, TierFollowsRollingSpendAndDemotesWhenItAges) {
  EXPECT_EQ(View().tier, "bronze");
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Buy(12000), 0}).ok());
  EXPECT_EQ(View().tier, "silver");
  // Silver earns double.
  EXPECT_EQ(t_->Commit({"s2", Card("LC0001"), Buy(1000), 0})->earned, 20);
  auto quote = t_->QuoteBasket(Card("LC0001"), Buy(1000));
  EXPECT_EQ(quote->tier.tier, "silver");
  t_.clock.AdvanceDays(31);  // the big sale leaves the 30-day window
  EXPECT_EQ(View().tier, "bronze");
  EXPECT_EQ(t_->Commit({"s3", Card("LC0001"), Buy(1000), 0})->earned, 10);
}

TEST_F(RulesAtTheTillTest, RefundLowersTheTierMeasure) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Buy(12000), 0}).ok());
  EXPECT_EQ(View().tier, "silver");
  ASSERT_TRUE(t_->Refund({"r1", "s1", 5000}).ok());
  EXPECT_EQ(View().tier, "bronze");
}

TEST_F(RulesAtTheTillTest, SegmentMovesFromNewToLoyalToLapsing) {
  EXPECT_EQ(View().segment, "new");
  t_.clock.AdvanceDays(8);
  EXPECT_EQ(View().segment, "lapsing");  // never bought
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(t_->Commit({"s" + std::to_string(i), Card("LC0001"), Buy(500), 0}).ok());
    if (i == 0) {
      EXPECT_EQ(View().segment, "regular");
    }
    t_.clock.AdvanceDays(1);
  }
  EXPECT_EQ(View().segment, "loyal");
  t_.clock.AdvanceDays(21);
  EXPECT_EQ(View().segment, "lapsing");
}

TEST_F(RulesAtTheTillTest, WeekdaysAreTheStoresNotUtcs) {
  // Monday 2026-03-02 23:30 UTC is Tuesday 00:30 in Paris.
  t_.clock.SetMs(1772494200000);
  Basket milk{"EUR", {Line("MILK", "dairy", 1, 1000)}};
  auto q = t_->QuoteBasket(Card("LC0001"), milk);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->points_to_earn, 20);
  ASSERT_GE(q->lines.size(), 2u);
  EXPECT_EQ(q->lines[1].explanation, "2x points on dairy on Tuesdays: 10 points");
}

TEST_F(RulesAtTheTillTest, RewardIsReCheckedAtCommitAndLimitedPerCustomer) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Buy(4000), 0}).ok());  // 25 + 40 = 65
  auto quote = t_->QuoteBasket(Card("LC0001"), Buy(3000), {"five-off"});
  ASSERT_TRUE(quote.ok()) << quote.status().ToString();
  EXPECT_EQ(quote->discount_minor, 500);
  EXPECT_EQ(quote->points_to_earn, 25);
  auto sale = t_->Commit({"s2", Card("LC0001"), Buy(3000), 0, {"five-off"}});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(sale->earned, quote->points_to_earn);
  EXPECT_EQ(sale->redeemed, 50);
  EXPECT_EQ(sale->discount_minor, 500);
  EXPECT_EQ(sale->after.available, 65 - 50 + 25);
  // Once per customer.
  ASSERT_TRUE(t_->Commit({"s3", Card("LC0001"), Buy(6000), 0}).ok());
  auto again = t_->Commit({"s4", Card("LC0001"), Buy(3000), 0, {"five-off"}});
  EXPECT_EQ(again.status().code(), StatusCode::kRewardRefused);
  EXPECT_NE(again.status().message().find("already taken 1 of 1 times"), std::string::npos);
  // A full refund of the sale gives the reward back, use and points.
  ASSERT_TRUE(t_->Refund({"r2", "s2", std::nullopt}).ok());
  EXPECT_TRUE(t_->Commit({"s5", Card("LC0001"), Buy(3000), 0, {"five-off"}}).ok());
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RulesAtTheTillTest, PerPeriodLimitResetsAfterThePeriod) {
  auto first = t_->Commit({"s1", Card("LC0001"), Buy(1000), 0, {"weekly-coffee"}});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  t_.clock.AdvanceDays(6);
  auto again = t_->Commit({"s2", Card("LC0001"), Buy(1000), 0, {"weekly-coffee"}});
  EXPECT_NE(again.status().message().find("already taken 1 times in the last 7 days"),
            std::string::npos)
      << again.status().message();
  t_.clock.AdvanceDays(1);
  EXPECT_TRUE(t_->Commit({"s3", Card("LC0001"), Buy(1000), 0, {"weekly-coffee"}}).ok());
}

TEST_F(RulesAtTheTillTest, VoucherIssuesACodeAndStockRunsOut) {
  auto sale = t_->Commit({"s1", Card("LC0001"), Buy(1000), 0, {"spa"}});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  ASSERT_EQ(sale->vouchers.size(), 1u);
  EXPECT_EQ(sale->vouchers[0].size(), 16u);
  auto replay = t_->Commit({"s1", Card("LC0001"), Buy(1000), 0, {"spa"}});
  EXPECT_EQ(replay->vouchers, sale->vouchers);  // the same code, not a new one
  ASSERT_TRUE(t_->Enroll({"e2", Card("LC0002"), "", "Bob"}).ok());
  auto out = t_->Commit({"s2", Card("LC0002"), Buy(1000), 0, {"spa"}});
  EXPECT_EQ(out.status().code(), StatusCode::kRewardRefused);
  EXPECT_NE(out.status().message().find("out of stock"), std::string::npos);
  // The quote of the same basket says so instead of failing.
  auto quote = t_->QuoteBasket(Card("LC0002"), Buy(1000), {"spa"});
  ASSERT_TRUE(quote.ok()) << quote.status().ToString();
  ASSERT_EQ(quote->refused_rewards.size(), 1u);
  EXPECT_EQ(quote->refused_rewards[0].reward_id, "spa");
  EXPECT_EQ(quote->refused_rewards[0].code, StatusCode::kRewardRefused);
  EXPECT_EQ(quote->refused_rewards[0].reason, "out of stock");
  EXPECT_EQ(quote->points_to_spend, 0);
  EXPECT_FALSE(View().rewards.empty());
}

TEST_F(RulesAtTheTillTest, ReturningALineTakesBackExactlyWhatItEarned) {
  // 2026-03-03 10:00 Paris, a Tuesday: dairy earns double.
  t_.clock.SetMs(1772528400000);
  Basket b{"EUR", {Line("MILK", "dairy", 2, 600), Line("BREAD", "bakery", 1, 400),
                   Line("CIGS", "tobacco", 1, 900)}};
  auto sale = t_->Commit({"s1", Card("LC0001"), b, 0});
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->line_points, (std::vector<Points>{12, 4, 0}));
  // One milk back: half of its 12.
  auto r1 = t_->Refund({"r1", "s1", std::nullopt, {{0, 1}}});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->earned, -6);
  auto too_many = t_->Refund({"r2", "s1", std::nullopt, {{0, 2}}});
  EXPECT_NE(too_many.status().message().find("1 of line 0 (sku MILK) can still be returned"),
            std::string::npos)
      << too_many.status().message();
  auto rest = t_->Refund({"r3", "s1", std::nullopt, {{0, 1}, {1, 1}, {2, 1}}});
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->earned, -10);
  EXPECT_EQ(View().balance, 25);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RulesAtTheTillTest, EventBonusAndDailyCap) {
  auto review = t_->RecordEvent({"ev1", Card("LC0001"), "review"});
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->earned, 40);
  EXPECT_EQ(t_->RecordEvent({"ev2", Card("LC0001"), "selfie"}).status().code(),
            StatusCode::kInvalidArgument);
  // Sales earn 300 points a day at most, over several receipts; bonuses
  // do not count against it.
  EXPECT_EQ(t_->Commit({"s1", Card("LC0001"), Buy(25000), 0})->earned, 250);
  auto second = t_->Commit({"s2", Card("LC0001"), Buy(25000), 0});
  EXPECT_EQ(second->earned, 50);
  EXPECT_NE(second->explanations.back().explanation.find("capped at 50 points per day"),
            std::string::npos);
  t_.clock.AdvanceDays(1);
  // A new day (and silver now: 500.00 spent in 30 days earns double).
  EXPECT_EQ(t_->Commit({"s3", Card("LC0001"), Buy(1000), 0})->earned, 20);
}

// Random trading under the supermarket program: quote and commit agree, a
// full refund of a sale leaves the account as it was, the ledger verifies.
TEST_F(RulesAtTheTillTest, QuoteAndCommitAgreeAndRefundsRestore) {
  std::mt19937_64 rng(99);
  const char* categories[] = {"dairy", "bakery", "tobacco"};
  for (int i = 0; i < 150; ++i) {
    Basket b{"EUR", {}};
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) {
      b.lines.push_back(Line("S" + std::to_string(rng() % 4), categories[rng() % 3],
                             1 + static_cast<std::int64_t>(rng() % 3),
                             static_cast<std::int64_t>(rng() % 3000)));
    }
    std::vector<std::string> rewards;
    if (rng() % 4 == 0) rewards.push_back("five-off");
    auto quote = t_->QuoteBasket(Card("LC0001"), b, rewards);
    const CardView before = View();
    const std::string id = std::to_string(i);
    auto sale = t_->Commit({"s" + id, Card("LC0001"), b, 0, rewards});
    if (!quote.ok()) {
      ASSERT_EQ(sale.status().code(), quote.status().code()) << sale.status().ToString();
      continue;
    }
    // A reward the quote lists as refused fails the sale, with the code it names.
    if (!quote->refused_rewards.empty()) {
      ASSERT_EQ(sale.status().code(), quote->refused_rewards[0].code)
          << sale.status().ToString();
      continue;
    }
    ASSERT_TRUE(sale.ok()) << sale.status().ToString();
    ASSERT_EQ(sale->earned, quote->points_to_earn);
    ASSERT_EQ(sale->redeemed, quote->points_to_spend);
    ASSERT_EQ(sale->discount_minor, quote->discount_minor);
    if (rng() % 3 == 0) {
      ASSERT_TRUE(t_->Refund({"r" + id, "s" + id, std::nullopt}).ok());
      ASSERT_EQ(View().balance, before.balance);
      ASSERT_EQ(View().available, before.available);
    }
    // Nothing here returns points already spent, so no debt may appear.
    ASSERT_GE(View().balance, 0);
    ASSERT_GE(View().available, 0);
    t_.clock.AdvanceMs(static_cast<std::int64_t>(rng() % 30'000'000));
  }
  auto report = t_->Verify();
  EXPECT_TRUE(report->ok) << report->problem;
}

}  // namespace
}  // namespace loyalty

namespace loyalty {
namespace {

const char* kBonuses = R"({"format": 1, "id": "b", "version": 1, "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "bonuses": {"birthday": 100, "referral": {"new_member": 50, "referrer": 200}}})";

TEST(BonusTest, BirthdayBonusOncePerYearInTheBirthdayMonth) {
  testing::TestTerminal t(kBonuses);  // the clock starts on 2026-01-01
  ASSERT_TRUE(t->Enroll({"e1", testing::Card("LC0001"), "", "Ada", "1990-02-14"}).ok());
  EXPECT_EQ(t->Enroll({"e2", testing::Card("LC0002"), "", "Bob", "02-30"}).status().code(),
            StatusCode::kInvalidArgument);
  Basket b{"EUR", {{"X", "x", 1, 1000, false}}};
  EXPECT_EQ(t->Commit({"s1", testing::Card("LC0001"), b, 0})->earned, 10);  // January
  t.clock.AdvanceDays(40);  // February
  auto feb = t->Commit({"s2", testing::Card("LC0001"), b, 0});
  EXPECT_EQ(feb->earned, 110);
  EXPECT_EQ(feb->explanations.back().explanation, "birthday bonus: 100 points");
  EXPECT_EQ(t->Commit({"s3", testing::Card("LC0001"), b, 0})->earned, 10);
  t.clock.AdvanceDays(365);
  EXPECT_EQ(t->Commit({"s4", testing::Card("LC0001"), b, 0})->earned, 110);
}

TEST(BonusTest, ReferralPaysBothOnTheFirstPurchaseAndReturnsTakeItBack) {
  testing::TestTerminal t(kBonuses);
  ASSERT_TRUE(t->Enroll({"e1", testing::Card("LC0001"), "", "Ada"}).ok());
  auto unknown = t->Enroll({"e2", testing::Card("LC0002"), "", "Bob", "", testing::Card("LC9999")});
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnknownCard);
  EXPECT_NE(unknown.status().message().find("referrer:"), std::string::npos);
  ASSERT_TRUE(t->Enroll({"e3", testing::Card("LC0002"), "", "Bob", "", testing::Card("LC0001")})
                  .ok());
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->balance, 0);  // nothing before a purchase
  Basket b{"EUR", {{"X", "x", 1, 2000, false}}};
  auto first = t->Commit({"s1", testing::Card("LC0002"), b, 0});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->earned, 20 + 50);
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->balance, 200);
  EXPECT_EQ(t->Commit({"s2", testing::Card("LC0002"), b, 0})->earned, 20);  // once only
  // Returning the first purchase takes both bonuses back.
  ASSERT_TRUE(t->Refund({"r1", "s1", std::nullopt}).ok());
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->balance, 0);
  EXPECT_EQ(t->Lookup(testing::Card("LC0002"))->balance, 20);
  EXPECT_TRUE(t->Verify()->ok);
}

}  // namespace
}  // namespace loyalty

namespace loyalty {
namespace {

TEST(TierEvaluationTest, PromotionAtOnceDemotionOnlyOnTheNextEvaluationDate) {
  testing::TestTerminal t(R"({"format": 1, "id": "q", "version": 1, "currency": "EUR",
    "earn": {"points": 1, "per": "1.00"},
    "tiers": {"measure": "spend", "window_days": 30, "evaluation": "monthly", "levels": [
      {"id": "member", "threshold": "0.00"}, {"id": "vip", "threshold": "100.00"}]}})");
  ASSERT_TRUE(t->Enroll({"e1", testing::Card("LC0001"), "", "Ada"}).ok());
  t.clock.AdvanceDays(20);  // 2026-01-21
  Basket b{"EUR", {{"X", "x", 1, 15000, false}}};
  ASSERT_TRUE(t->Commit({"s1", testing::Card("LC0001"), b, 0}).ok());
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->tier, "vip");  // promoted at once
  t.clock.AdvanceDays(12);  // 2026-02-02: the spend is still in February's evaluation window
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->tier, "vip");
  t.clock.AdvanceDays(20);  // 2026-02-22: the rolling window lost it, the tier stays
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->tier, "vip");
  t.clock.AdvanceDays(10);  // 2026-03-04: March's evaluation no longer sees the sale
  EXPECT_EQ(t->Lookup(testing::Card("LC0001"))->tier, "member");
}

}  // namespace
}  // namespace loyalty
