// The rules a loyalty team configures, evaluated by the pure engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/earn.hpp"
#include "engine/program_parser.hpp"

namespace loyalty::engine {
namespace {

Program Parse(const std::string& body) {
  auto p = ParseProgram(R"({"format": 1, "id": "t", "version": 1, "currency": "EUR", )" + body +
                        "}");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Program{};
}

BasketLine Line(std::string sku, std::string category, std::int64_t qty, std::int64_t amount) {
  return {std::move(sku), std::move(category), qty, amount, false};
}

Basket Groceries() {
  return {"EUR",
          {Line("MILK", "dairy", 2, 300), Line("BREAD", "bakery", 1, 250),
           Line("CIGS", "tobacco", 1, 900), Line("CHEESE", "dairy", 1, 450)}};
}

// 2026-03-03 was a Tuesday.
constexpr std::int64_t kTuesday = 20515;

Context At(std::int64_t day, int minute = 600) {
  Context c;
  c.local.day = day;
  c.local.weekday = static_cast<int>((day + 4) % 7);
  c.local.minute = minute;
  c.segment = "regular";
  return c;
}

const char* kSupermarket = R"(
  "earn": {"points": 1, "per": "1.00"},
  "exclusions": {"categories": ["tobacco"]},
  "rules": [
    {"id": "dairy-tuesday", "points": 1, "per": "1.00", "categories": ["dairy"],
     "when": {"weekdays": ["tue"]}, "explain": "2x points on dairy on Tuesdays"}
  ])";

TEST(RulesTest, ExcludedProductsEarnNothing) {
  Program p = Parse(kSupermarket);
  auto q = Evaluate(p, Groceries(), At(kTuesday + 1));  // Wednesday
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->points_to_earn, 10);  // 3.00 + 2.50 + 4.50; tobacco excluded
  EXPECT_EQ(q->line_points[2], 0);
}

TEST(RulesTest, WeekdayPromotionAddsOnItsCategoryAndExplainsItself) {
  Program p = Parse(kSupermarket);
  auto q = Evaluate(p, Groceries(), At(kTuesday));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->points_to_earn, 10 + 7);
  ASSERT_EQ(q->lines.size(), 2u);
  EXPECT_EQ(q->lines[1].explanation, "2x points on dairy on Tuesdays: 7 points");
  // Per-line points add up to the total, and dairy lines carry the bonus.
  std::int64_t sum = 0;
  for (auto v : q->line_points) sum += v;
  EXPECT_EQ(sum, q->points_to_earn);
  // Base 10 over 3.00/2.50/4.50 and the 7 bonus over 3.00/4.50, each split
  // by largest remainder.
  EXPECT_EQ(q->line_points, (std::vector<Points>{6, 3, 0, 8}));
}

TEST(RulesTest, HoursAndDatesLimitPromotions) {
  Program p = Parse(R"("rules": [
      {"id": "base", "points": 1, "per": "1.00"},
      {"id": "happy-hour", "points": 5, "per": "1.00",
       "when": {"from_time": "15:00", "until_time": "17:00", "from": "2026-03-01",
                "until": "2026-03-14"}}])");
  Basket b{"EUR", {Line("A", "x", 1, 1000)}};
  EXPECT_EQ(Evaluate(p, b, At(kTuesday, 15 * 60))->points_to_earn, 60);
  EXPECT_EQ(Evaluate(p, b, At(kTuesday, 17 * 60))->points_to_earn, 10);  // until is exclusive
  EXPECT_EQ(Evaluate(p, b, At(kTuesday + 14, 16 * 60))->points_to_earn, 10);  // March 17
}

TEST(RulesTest, VisitItemMinimumBasketAndStop) {
  Program p = Parse(R"("rules": [
      {"id": "big-basket", "type": "visit", "points": 50, "min_basket": "50.00", "stop": true},
      {"id": "visit", "type": "visit", "points": 5},
      {"id": "per-item", "type": "item", "points": 2, "products": ["MILK"]}])");
  Basket small{"EUR", {Line("MILK", "dairy", 3, 450)}};
  auto q = Evaluate(p, small, At(kTuesday));
  EXPECT_EQ(q->points_to_earn, 5 + 6);
  Basket big{"EUR", {Line("TV", "tech", 1, 49900)}};
  auto r = Evaluate(p, big, At(kTuesday));
  EXPECT_EQ(r->points_to_earn, 50);  // big-basket stops the rules after it
}

TEST(RulesTest, CapsPerReceiptAndPerDay) {
  Program p = Parse(R"("earn": {"points": 1, "per": "1.00"},
                      "caps": {"per_receipt": 100, "per_day": 150})");
  Basket b{"EUR", {Line("A", "x", 1, 20000), Line("B", "x", 1, 10000)}};
  auto q = Evaluate(p, b, At(kTuesday));
  EXPECT_EQ(q->points_to_earn, 100);
  EXPECT_EQ(q->lines.back().explanation, "capped at 100 points per receipt: -200 points");
  EXPECT_EQ(q->line_points[0] + q->line_points[1], 100);
  Context later = At(kTuesday);
  later.earned_today = 120;
  EXPECT_EQ(Evaluate(p, b, later)->points_to_earn, 30);
}

const char* kTiers = R"(
  "earn": {"points": 1, "per": "1.00"},
  "tiers": {"measure": "spend", "window_days": 365, "levels": [
    {"id": "bronze", "threshold": "0.00"},
    {"id": "silver", "threshold": "500.00", "multiplier": "1.5"},
    {"id": "gold", "threshold": "1500.00", "multiplier": 2}]},
  "rules": [{"id": "gold-visit", "type": "visit", "points": 20, "tiers": ["gold"]}],
  "rewards": [
    {"id": "five-off", "kind": "order_amount", "cost": 500, "amount": "5.00"},
    {"id": "gold-lounge", "kind": "voucher", "cost": 100, "amount": "10.00", "min_tier": "gold"}])";

TEST(RulesTest, TierMultiplierTierRulesAndProgress) {
  Program p = Parse(kTiers);
  Basket b{"EUR", {Line("A", "x", 1, 1000)}};
  Context c = At(kTuesday);
  c.tier_measure = 60000;  // 600.00 spent in the window
  auto q = Evaluate(p, b, c);
  EXPECT_EQ(q->tier.tier, "silver");
  EXPECT_EQ(q->tier.next_tier, "gold");
  EXPECT_EQ(q->tier.to_next, 90000);
  EXPECT_EQ(q->points_to_earn, 15);
  EXPECT_NE(q->lines[0].explanation.find("silver 1.5x"), std::string::npos)
      << q->lines[0].explanation;
  c.tier_measure = 150000;
  q = Evaluate(p, b, c);
  EXPECT_EQ(q->tier.tier, "gold");
  EXPECT_EQ(q->tier.next_tier, "");
  EXPECT_EQ(q->points_to_earn, 20 + 20);
}

TEST(RulesTest, RewardOptionsSayWhyNot) {
  Program p = Parse(kTiers);
  Basket b{"EUR", {Line("A", "x", 1, 2000)}};
  Context c = At(kTuesday);
  c.available = 300;
  auto q = Evaluate(p, b, c);
  ASSERT_EQ(q->rewards.size(), 2u);
  EXPECT_FALSE(q->rewards[0].available);
  EXPECT_EQ(q->rewards[0].why_not, "needs 500 points, 300 points available");
  EXPECT_EQ(q->rewards[0].discount_minor, 500);
  EXPECT_EQ(q->rewards[1].why_not, "needs tier gold");
  c.available = 800;
  c.tier_measure = 200000;
  q = Evaluate(p, b, c);
  EXPECT_TRUE(q->rewards[0].available);
  EXPECT_TRUE(q->rewards[1].available);
}

TEST(RulesTest, ChosenRewardDiscountsTheBasketAndLowersWhatItEarns) {
  Program p = Parse(kTiers);
  Basket b{"EUR", {Line("A", "x", 1, 2000), Line("B", "x", 1, 1000)}};
  Context c = At(kTuesday);
  c.available = 600;
  auto q = Evaluate(p, b, c, {"five-off"});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->discount_minor, 500);
  EXPECT_EQ(q->points_to_spend, 500);
  EXPECT_EQ(q->points_to_earn, 25);
  EXPECT_EQ(q->line_discounts[0] + q->line_discounts[1], 500);
  auto twice = Evaluate(p, b, c, {"five-off", "five-off"});
  EXPECT_EQ(twice.status().code(), StatusCode::kInsufficientPoints);
  auto unknown = Evaluate(p, b, c, {"ten-off"});
  EXPECT_EQ(unknown.status().code(), StatusCode::kRewardRefused);
  EXPECT_NE(unknown.status().message().find("'ten-off' is not in the program's catalog"),
            std::string::npos);
}

TEST(RulesTest, AQuoteListsTheRewardsTheCardCannotTakeAndWhy) {
  Program p = Parse(kTiers);
  Basket b{"EUR", {Line("A", "x", 1, 2000), Line("B", "x", 1, 1000)}};
  Context c = At(kTuesday);
  c.available = 600;
  auto refused = Evaluate(p, b, c, {"gold-lounge", "five-off", "ten-off"});
  EXPECT_EQ(refused.status().code(), StatusCode::kRewardRefused);  // a commit fails
  EXPECT_NE(refused.status().message().find("needs tier gold"), std::string::npos);
  auto q = Evaluate(p, b, c, {"gold-lounge", "five-off", "ten-off"}, 0, {},
                    OnRefusedReward::kList);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->discount_minor, 500);  // five-off only
  EXPECT_EQ(q->points_to_spend, 500);
  ASSERT_EQ(q->refused_rewards.size(), 2u);
  EXPECT_EQ(q->refused_rewards[0].reward_id, "gold-lounge");
  EXPECT_EQ(q->refused_rewards[0].code, StatusCode::kRewardRefused);
  EXPECT_EQ(q->refused_rewards[0].reason, "needs tier gold");
  EXPECT_EQ(q->refused_rewards[1].reward_id, "ten-off");
  EXPECT_EQ(q->refused_rewards[1].reason, "not in the program's catalog");
  c.available = 100;
  auto poor = Evaluate(p, b, c, {"five-off"}, 0, {}, OnRefusedReward::kList);
  ASSERT_EQ(poor->refused_rewards.size(), 1u);
  EXPECT_EQ(poor->refused_rewards[0].code, StatusCode::kInsufficientPoints);
  EXPECT_EQ(poor->discount_minor, 0);
}

TEST(RulesTest, EveryRewardKindTakesOffWhatItSays) {
  Program p = Parse(R"("earn": {"points": 1, "per": "1.00"}, "rewards": [
      {"id": "pct", "kind": "order_percent", "cost": 1, "percent": 10},
      {"id": "dairy-pct", "kind": "lines_percent", "cost": 1, "percent": 50,
       "categories": ["dairy"]},
      {"id": "dairy-off", "kind": "lines_amount", "cost": 1, "amount": "1.00",
       "categories": ["dairy"]},
      {"id": "cheapest", "kind": "cheapest_free", "cost": 1},
      {"id": "free-bread", "kind": "free_product", "cost": 1, "products": ["BREAD"]},
      {"id": "spa", "kind": "voucher", "cost": 1, "amount": "25.00"},
      {"id": "limited", "kind": "order_amount", "cost": 1, "amount": "1.00",
       "per_customer": 1, "stock": 5, "valid_until": "2026-03-02"}])");
  Basket b{"EUR", {Line("MILK", "dairy", 2, 300), Line("BREAD", "bakery", 2, 500),
                   Line("CHEESE", "dairy", 1, 450)}};
  Context c = At(kTuesday);
  c.available = 100;
  auto off = [&](const char* id) { return Evaluate(p, b, c, {id})->discount_minor; };
  EXPECT_EQ(off("pct"), 125);
  EXPECT_EQ(off("dairy-pct"), 375);
  EXPECT_EQ(off("dairy-off"), 100);
  EXPECT_EQ(off("cheapest"), 150);    // one milk
  EXPECT_EQ(off("free-bread"), 250);  // one bread
  EXPECT_EQ(off("spa"), 0);           // a code, not a discount
  auto expired = Evaluate(p, b, c, {"limited"});
  EXPECT_NE(expired.status().message().find("no longer valid"), std::string::npos);
  c.local.day = kTuesday - 2;
  c.reward_uses["limited"] = 1;
  EXPECT_NE(Evaluate(p, b, c, {"limited"}).status().message().find("already taken"),
            std::string::npos);
  c.reward_uses.clear();
  c.reward_stock_used["limited"] = 5;
  EXPECT_NE(Evaluate(p, b, c, {"limited"}).status().message().find("out of stock"),
            std::string::npos);
}

TEST(RulesTest, ProblemsInRulesAreNamedWithTheirPath) {
  auto p = ParseProgram(R"({"format": 1, "id": "t", "version": 1, "currency": "EUR",
      "rules": [
        {"id": "a", "points": 1, "per": "1.00"},
        {"id": "a", "points": 1, "per": "1.00", "multiplier": 0},
        {"id": "c", "type": "visits", "points": 5},
        {"id": "d", "points": 1, "per": "1.00", "multiplier": 1.5, "tiers": ["gld"],
         "when": {"weekdays": ["tues"], "from_time": "25:00"}}],
      "rewards": [{"id": "r", "kind": "lines_percent", "cost": 10, "percent": 120}]})");
  ASSERT_FALSE(p.ok());
  const std::string m = p.status().message();
  for (const char* expected :
       {"rules[1].id: \"a\" is used by another rule", "rules[1].multiplier: must be > 0",
        "rules[2].type: must be spend, visit or item", "rules[3].multiplier: must be a whole",
        "rules[3].tiers[0]: \"gld\" is not a tier", "rules[3].when.weekdays[0]",
        "rules[3].when.from_time", "rewards[0].percent: must be between 1 and 100",
        "rewards[0]: a lines_percent reward needs products or categories"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << m;
  }
}

// Thousands of random baskets under random programs: the figures hold
// together whatever the order of the lines.
TEST(RulesPropertyTest, RandomBasketsAndPrograms) {
  std::mt19937_64 rng(20261122);
  const char* categories[] = {"dairy", "bakery", "tobacco", "fruit"};
  for (int trial = 0; trial < 3000; ++trial) {
    std::string rules;
    const int n_rules = 1 + static_cast<int>(rng() % 6);
    for (int r = 0; r < n_rules; ++r) {
      const int type = static_cast<int>(rng() % 3);
      rules += std::string(r ? "," : "") + R"({"id": "r)" + std::to_string(r) + R"(", "type": ")" +
               (type == 0 ? "spend" : type == 1 ? "visit" : "item") + R"(", "points": )" +
               std::to_string(1 + rng() % 5) + R"(, "per": ")" + std::to_string(1 + rng() % 3) +
               R"(.00", "rounding": ")" + (rng() % 2 ? "down" : "nearest") + "\"" +
               (rng() % 2 ? std::string(R"(, "categories": [")") + categories[rng() % 4] + "\"]"
                          : std::string()) +
               (rng() % 4 == 0 ? R"(, "stop": true)" : "") + "}";
    }
    Program p = Parse(R"("exclusions": {"categories": ["tobacco"]}, "caps": {"per_receipt": )" +
                      std::to_string(50 + rng() % 200) + R"(}, "rules": [)" + rules + "]");
    Basket b{"EUR", {}};
    const int n_lines = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n_lines; ++i) {
      b.lines.push_back(Line("S" + std::to_string(rng() % 5), categories[rng() % 4],
                             1 + static_cast<std::int64_t>(rng() % 4),
                             static_cast<std::int64_t>(rng() % 5000)));
      b.lines.back().voided = rng() % 10 == 0;
    }
    auto q = Evaluate(p, b, At(kTuesday));
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    ASSERT_GE(q->points_to_earn, 0);
    std::int64_t sum = 0;
    for (size_t i = 0; i < b.lines.size(); ++i) {
      ASSERT_GE(q->line_points[i], 0);
      if (b.lines[i].voided || b.lines[i].category == std::string("tobacco")) {
        ASSERT_EQ(q->line_points[i], 0);
      }
      sum += q->line_points[i];
    }
    ASSERT_EQ(sum, q->points_to_earn);
    Basket shuffled = b;
    std::shuffle(shuffled.lines.begin(), shuffled.lines.end(), rng);
    ASSERT_EQ(Evaluate(p, shuffled, At(kTuesday))->points_to_earn, q->points_to_earn);
  }
}

}  // namespace
}  // namespace loyalty::engine
