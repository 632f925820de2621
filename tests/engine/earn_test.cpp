#include "engine/earn.hpp"

#include <gtest/gtest.h>

#include <random>

#include "engine/program_parser.hpp"

namespace loyalty::engine {
namespace {

Program MakeProgram(const std::string& earn) {
  auto p = ParseProgram(R"({"format": 1, "id": "t", "version": 1, "currency": "EUR", "earn": )" +
                        earn + "}");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

Basket Lines(std::vector<std::int64_t> amounts) {
  Basket b{"EUR", {}};
  for (auto a : amounts) b.lines.push_back({"sku", "cat", 1, a, false});
  return b;
}

TEST(EarnTest, TenItemsAtTenCentsEarnWhatOneItemAtOneEuroEarns) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  auto ten = QuoteEarn(p, Lines(std::vector<std::int64_t>(10, 10)));
  auto one = QuoteEarn(p, Lines({100}));
  ASSERT_TRUE(ten.ok() && one.ok());
  EXPECT_EQ(ten->points_to_earn, 1);
  EXPECT_EQ(one->points_to_earn, 1);
}

TEST(EarnTest, RoundingIsTheProgramsSetting) {
  EXPECT_EQ(QuoteEarn(MakeProgram(R"({"points": 1, "per": "1.00"})"), Lines({1299}))
                ->points_to_earn, 12);
  EXPECT_EQ(QuoteEarn(MakeProgram(R"({"points": 1, "per": "1.00", "rounding": "up"})"),
                      Lines({1201}))->points_to_earn, 13);
  EXPECT_EQ(QuoteEarn(MakeProgram(R"({"points": 1, "per": "1.00", "rounding": "nearest"})"),
                      Lines({1250}))->points_to_earn, 13);
  EXPECT_EQ(QuoteEarn(MakeProgram(R"({"points": 1, "per": "1.00", "rounding": "nearest"})"),
                      Lines({1249}))->points_to_earn, 12);
}

TEST(EarnTest, VoidedLinesEarnNothing) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  Basket b = Lines({500, 700});
  b.lines[1].voided = true;
  EXPECT_EQ(QuoteEarn(p, b)->points_to_earn, 5);
}

TEST(EarnTest, NegativePriceIsRefusedNamingTheLine) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  Basket b = Lines({500, -100});
  b.lines[1].sku = "4011";
  auto q = QuoteEarn(p, b);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kAmountNegative);
  EXPECT_NE(q.status().message().find("basket.lines[1] (sku 4011)"), std::string::npos)
      << q.status().message();
}

TEST(EarnTest, OtherCurrencyIsRefusedNotConverted) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  Basket b = Lines({500});
  b.currency = "USD";
  EXPECT_EQ(QuoteEarn(p, b).status().code(), StatusCode::kCurrencyMismatch);
}

TEST(EarnTest, HugeBasketOverflowsCleanly) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  auto q = QuoteEarn(p, Lines({INT64_MAX, 1}));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kAmountOverflow);
  // The largest total still earns exactly, without intermediate overflow.
  Program rich = MakeProgram(R"({"points": 1000, "per": "0.01"})");
  EXPECT_EQ(QuoteEarn(rich, Lines({INT64_MAX / 1000}))->points_to_earn,
            INT64_MAX / 1000 * 1000);
  EXPECT_EQ(QuoteEarn(rich, Lines({INT64_MAX / 1000 + 1})).status().code(),
            StatusCode::kAmountOverflow);
}

TEST(EarnTest, ExplanationReadsAloud) {
  Program p = MakeProgram(R"({"points": 1, "per": "1.00"})");
  auto q = QuoteEarn(p, Lines({1240}));
  ASSERT_EQ(q->lines.size(), 1u);
  EXPECT_EQ(q->lines[0].explanation,
            "1 point per 1.00 EUR on 12.40 EUR: 12 points");
}

TEST(EarnTest, LineOrderDoesNotChangeTheResult) {
  Program p = MakeProgram(R"({"points": 3, "per": "2.50", "rounding": "nearest"})");
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<std::int64_t> amounts;
    const int n = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) amounts.push_back(static_cast<std::int64_t>(rng() % 100000));
    auto a = QuoteEarn(p, Lines(amounts));
    std::shuffle(amounts.begin(), amounts.end(), rng);
    auto b = QuoteEarn(p, Lines(amounts));
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->points_to_earn, b->points_to_earn);
    std::int64_t total = 0;
    for (auto x : amounts) total += x;
    // Nearest rounding of total * 3 / 250, computed another way.
    ASSERT_EQ(a->points_to_earn, (total * 3 * 2 + 250) / 500);
  }
}

}  // namespace
}  // namespace loyalty::engine
