#include <gtest/gtest.h>

#include <random>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

class RefundTest : public ::testing::Test {
 protected:
  RefundTest() : t_(testing::DefaultProgramJson(R"("tender": {"point_value": "0.01"})")) {}
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  }
  CardView View() { return *t_->Lookup(Card("LC0001")); }
  TestTerminal t_;
};

TEST_F(RefundTest, FullRefundReturnsTheAccountToWhereItWas) {
  ASSERT_TRUE(t_->Commit({"s0", Card("LC0001"), Eur({5000}), 0}).ok());
  const CardView before = View();
  // 20 points pay 0.20 EUR; 29.80 EUR earn 29 points.
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({2000, 1000}), 20}).ok());
  auto refund = t_->Refund({"rf1", "s1", std::nullopt});
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->earned, -29);
  EXPECT_EQ(refund->redeemed, -20);
  EXPECT_EQ(View().available, before.available);
  EXPECT_EQ(View().balance, before.balance);
  EXPECT_EQ(t_->Refund({"rf2", "s1", std::nullopt}).status().code(),
            StatusCode::kAlreadyReversed);
}

TEST_F(RefundTest, PartialRefundsAreProportionalAndSettleExactly) {
  ASSERT_TRUE(t_->Commit({"s0", Card("LC0001"), Eur({10000}), 0}).ok());  // 100
  // 33 points pay 0.33 EUR: 29.67 EUR paid, 29 points earned.
  auto sale = t_->Commit({"s1", Card("LC0001"), Eur({3000}), 33});
  ASSERT_TRUE(sale.ok());
  ASSERT_EQ(sale->earned, 29);
  // 10.00 of 29.67 back: earned taken back rounding up (ceil 9.77 = 10),
  // redeemed given back rounding down (floor 11.12 = 11).
  auto r1 = t_->Refund({"rf1", "s1", 1000});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->earned, -10);
  EXPECT_EQ(r1->redeemed, -11);
  // A further 4.00: ceil(29 * 1400 / 2967) = 14, floor(33 * 1400 / 2967) = 15.
  auto r2 = t_->Refund({"rf2", "s1", 400});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->earned, -4);
  EXPECT_EQ(r2->redeemed, -4);
  auto too_much = t_->Refund({"rf3", "s1", 5000});
  EXPECT_EQ(too_much.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_much.status().message().find("1567 left to refund"), std::string::npos)
      << too_much.status().message();
  auto rest = t_->Refund({"rf4", "s1", std::nullopt});
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->earned, -15);
  EXPECT_EQ(rest->redeemed, -18);
  EXPECT_EQ(View().balance, 100);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RefundTest, RefundAfterTheEarnedPointsWereSpentLeavesDebt) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());  // 50
  ASSERT_TRUE(t_->Redeem({"r1", Card("LC0001"), 50, "blender"}).ok());
  auto refund = t_->Refund({"rf1", "s1", std::nullopt});
  ASSERT_TRUE(refund.ok());
  EXPECT_EQ(refund->after.balance, -50);
  EXPECT_EQ(refund->after.available, -50);
  // The next purchases repay the debt before anything is spendable.
  ASSERT_TRUE(t_->Commit({"s2", Card("LC0001"), Eur({3000}), 0}).ok());
  EXPECT_EQ(View().available, -20);
  EXPECT_EQ(t_->Redeem({"r2", Card("LC0001"), 1, "x"}).status().code(),
            StatusCode::kInsufficientPoints);
  ASSERT_TRUE(t_->Commit({"s3", Card("LC0001"), Eur({3000}), 0}).ok());
  EXPECT_EQ(View().available, 10);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RefundTest, BuyEarnSpendReturnIsNotAWayToFarmPoints) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    const std::string id = std::to_string(round);
    const std::int64_t price = 100 + static_cast<std::int64_t>(rng() % 10000);
    auto sale = t_->Commit({"s" + id, Card("LC0001"), Eur({price}), 0});
    ASSERT_TRUE(sale.ok());
    const Points spend = std::max<Points>(0, View().available);
    if (spend > 0) {
      ASSERT_TRUE(t_->Redeem({"r" + id, Card("LC0001"), spend, "x"}).ok());
    }
    // Return in two random slices.
    const std::int64_t first = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(price));
    ASSERT_TRUE(t_->Refund({"a" + id, "s" + id, first}).ok());
    if (first < price) {
      ASSERT_TRUE(t_->Refund({"b" + id, "s" + id, std::nullopt}).ok());
    }
  }
  // Everything bought was returned: whatever was spent is owed back.
  Points redeemed = 0;
  auto history = t_->History(Card("LC0001"), 1000);
  ASSERT_TRUE(history.ok());
  for (const auto& h : *history) {
    if (h.kind == EntryKind::kRedeem) redeemed += -h.points;
  }
  EXPECT_EQ(View().balance, -redeemed);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RefundTest, VoidUndoesASaleARedemptionOrAnAdjustment) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({4000}), 0}).ok());
  ASSERT_TRUE(t_->Redeem({"r1", Card("LC0001"), 15, "x"}).ok());
  ASSERT_TRUE(t_->Adjust({"a1", Card("LC0001"), 7, "mgr", "typo"}).ok());
  EXPECT_EQ(View().balance, 32);
  EXPECT_EQ(t_->Void({"v0", "a1", "", "oops"}).status().code(),
            StatusCode::kInvalidArgument);  // operator required
  ASSERT_TRUE(t_->Void({"v1", "a1", "mgr", "wrong card"}).ok());
  EXPECT_EQ(View().balance, 25);
  ASSERT_TRUE(t_->Void({"v2", "r1", "mgr", "customer changed mind"}).ok());
  EXPECT_EQ(View().balance, 40);
  ASSERT_TRUE(t_->Void({"v3", "s1", "mgr", "rang up twice"}).ok());
  EXPECT_EQ(View().balance, 0);
  EXPECT_EQ(t_->Void({"v4", "s1", "mgr", "again"}).status().code(),
            StatusCode::kAlreadyReversed);
  EXPECT_EQ(t_->Void({"v5", "e1", "mgr", "x"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t_->Void({"v6", "nope", "mgr", "x"}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(RefundTest, RefundOfSomethingThatIsNotASaleIsNamed) {
  ASSERT_TRUE(t_->Adjust({"a1", Card("LC0001"), 7, "mgr", "x"}).ok());
  auto r = t_->Refund({"rf1", "a1", std::nullopt});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not a sale"), std::string::npos);
  EXPECT_EQ(t_->Refund({"rf2", "s404", std::nullopt}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t_->Refund({"rf3", "a1", -5}).status().code(), StatusCode::kAmountNegative);
}

TEST_F(RefundTest, RebuildFromEntriesEqualsTheLiveLedger) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200; ++i) {
    const std::string id = std::to_string(i);
    switch (rng() % 4) {
      case 0:
      case 1:
        (void)t_->Commit({"s" + id, Card("LC0001"), Eur({static_cast<std::int64_t>(rng() % 5000)}),
                          static_cast<Points>(rng() % 20)});
        break;
      case 2:
        (void)t_->Refund({"f" + id, "s" + std::to_string(rng() % (i + 1)),
                          static_cast<std::int64_t>(1 + rng() % 1000)});
        break;
      case 3:
        (void)t_->Redeem({"r" + id, Card("LC0001"), static_cast<Points>(1 + rng() % 30), "x"});
        break;
    }
    t_.clock.AdvanceMs(3'600'000);
  }
  const CardView live = View();
  ASSERT_TRUE(t_->Verify()->ok);
  ASSERT_TRUE(t_->RebuildBalances().ok());
  const CardView rebuilt = View();
  EXPECT_EQ(rebuilt.balance, live.balance);
  EXPECT_EQ(rebuilt.available, live.available);
  EXPECT_EQ(rebuilt.pending, live.pending);
  EXPECT_TRUE(t_->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
