// Returns that come out right in every order (issue 17): points spent on a
// reward follow the goods it paid for, and a return never takes back points
// that expired on their own.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::TestTerminal;

constexpr int kExpiryDays = 30;

std::string RewardsProgram() {
  return testing::DefaultProgramJson(
      R"("tender": {"point_value": "0.01"},
         "points": {"expiry_days": 30},
         "rewards": [
           {"id": "free-a", "kind": "free_product", "cost": 40, "products": ["A"]},
           {"id": "two-off", "kind": "order_amount", "cost": 60, "amount": "2.00"}]
        )");
}

Basket TwoLines() {
  // Line 0: product A at 4.00; line 1: product B at 50.00.
  return Basket{"EUR", {{"A", "food", 1, 400, false}, {"B", "food", 1, 5000, false}}};
}

class ReturnOrderTest : public ::testing::Test {
 protected:
  ReturnOrderTest() : t_(RewardsProgram()) {}
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    // 100 points to spend, from a sale long ago enough to be usable.
    ASSERT_TRUE(t_->Adjust({"a1", Card("LC0001"), 100, "mgr", "welcome"}).ok());
  }
  CardView View() { return *t_->Lookup(Card("LC0001")); }
  TestTerminal t_;
};

// Issue 17, first bug: the customer returns line B and keeps the free A.
// The 40 points paid for A stay spent; they come back with A.
TEST_F(ReturnOrderTest, FreeProductKeptKeepsItsPointsSpent) {
  Checkout sale{"s1", Card("LC0001"), TwoLines(), 0};
  sale.rewards = {"free-a"};
  auto sold = t_->Commit(sale);
  ASSERT_TRUE(sold.ok()) << sold.status().ToString();
  ASSERT_EQ(sold->redeemed, 40);
  ASSERT_EQ(sold->earned, 50);  // only B was paid for
  ASSERT_EQ(View().balance, 110);

  RefundRequest back_b{"rf1", "s1", std::nullopt, {{1, 1}}};
  auto refund = t_->Refund(back_b);
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->earned, -50);
  EXPECT_EQ(refund->redeemed, 0) << "A was kept: the points it cost stay spent";
  EXPECT_EQ(View().balance, 60);

  // A comes back later: now the reward's points come back with it.
  RefundRequest back_a{"rf2", "s1", std::nullopt, {{0, 1}}};
  auto second = t_->Refund(back_a);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->earned, 0);
  EXPECT_EQ(second->redeemed, -40);
  EXPECT_EQ(View().balance, 100);
  EXPECT_EQ(t_->Refund({"rf3", "s1", std::nullopt}).status().code(),
            StatusCode::kAlreadyReversed);
  EXPECT_TRUE(t_->Verify()->ok);
}

// An order-level reward comes back in proportion of the money returned.
TEST_F(ReturnOrderTest, OrderDiscountComesBackInProportion) {
  Checkout sale{"s1", Card("LC0001"), TwoLines(), 0};
  sale.rewards = {"two-off"};
  auto sold = t_->Commit(sale);
  ASSERT_TRUE(sold.ok()) << sold.status().ToString();
  ASSERT_EQ(sold->redeemed, 60);
  // 2.00 off 54.00 spread by amount: A pays 3.85 (0.15 off), B 48.15.
  auto refund = t_->Refund({"rf1", "s1", std::nullopt, {{1, 1}}});
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  // 48.15 of 52.00 back: floor(60 * 4815 / 5200) = 55 points.
  EXPECT_EQ(refund->redeemed, -55);
  auto rest = t_->Refund({"rf2", "s1", std::nullopt, {{0, 1}}});
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->redeemed, -5);
  EXPECT_EQ(View().balance, 100);
  EXPECT_TRUE(t_->Verify()->ok);
}

// An exchange: line B back, product C bought, as one operation.
TEST_F(ReturnOrderTest, ExchangeReturnsAndBuysInOneOperation) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), TwoLines(), 0}).ok());  // 54 points
  ASSERT_EQ(View().balance, 154);
  ExchangeRequest swap;
  swap.op_id = "x1";
  swap.sale_op_id = "s1";
  swap.returned = {{1, 1}};
  swap.purchase.card = Card("LC0001");
  swap.purchase.basket = Basket{"EUR", {{"C", "food", 1, 3000, false}}};
  auto done = t_->Exchange(swap);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_FALSE(done->replayed);
  EXPECT_EQ(done->returned.earned, -50);
  EXPECT_EQ(done->bought.earned, 30);
  EXPECT_EQ(done->bought.after.balance, 134);
  EXPECT_EQ(View().balance, 134);

  // The same op_id again: the first result, nothing written.
  auto again = t_->Exchange(swap);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(again->returned.replayed && again->bought.replayed);
  EXPECT_EQ(again->returned.earned, -50);
  EXPECT_EQ(again->bought.earned, 30);
  EXPECT_EQ(View().balance, 134);
  ExchangeRequest other = swap;
  other.purchase.basket.lines[0].amount_minor = 4000;
  EXPECT_EQ(t_->Exchange(other).status().code(), StatusCode::kDuplicateIdConflict);

  // The new goods come back by the exchange's op_id.
  auto back = t_->Refund({"rf1", "x1", std::nullopt});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->earned, -30);
  EXPECT_EQ(View().balance, 104);
  EXPECT_TRUE(t_->Verify()->ok);
}

// A purchase half that fails leaves the return half unwritten too.
TEST_F(ReturnOrderTest, ExchangeIsAllOrNothing) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), TwoLines(), 0}).ok());
  ExchangeRequest swap;
  swap.op_id = "x1";
  swap.sale_op_id = "s1";
  swap.returned = {{1, 1}};
  swap.purchase.card = Card("LC0001");
  swap.purchase.basket = Basket{"EUR", {{"C", "food", 1, 3000, false}}};
  swap.purchase.redeem_points = 10'000;  // far more than the card holds
  auto refused = t_->Exchange(swap);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInsufficientPoints);
  EXPECT_EQ(View().balance, 154);
  // Line B is still there to return.
  auto b = t_->Refund({"rf1", "s1", std::nullopt, {{1, 1}}});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->earned, -50);

  ExchangeRequest empty = swap;
  empty.op_id = "x2";
  empty.returned.clear();
  auto no_lines = t_->Exchange(empty);
  EXPECT_EQ(no_lines.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_lines.status().message().find("returned"), std::string::npos);

  ASSERT_TRUE(t_->Enroll({"e2", Card("LC0002"), "", "Grace"}).ok());
  ExchangeRequest stranger = swap;
  stranger.op_id = "x3";
  stranger.returned = {{0, 1}};
  stranger.purchase.redeem_points = 0;
  stranger.purchase.card = Card("LC0002");
  auto wrong_card = t_->Exchange(stranger);
  EXPECT_EQ(wrong_card.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_card.status().message().find("purchase.card"), std::string::npos);
  EXPECT_TRUE(t_->Verify()->ok);
}

// Issue 17, second bug: the same return after the same expiry, with the
// daily expiry run before the return or after it, leaves the same balance,
// and never takes the expired points a second time from a newer lot.
TEST(ReturnAfterExpiryTest, ExpiryRunAndReturnCommute) {
  Points balance_with_run_first = 0;
  Points balance_with_return_first = 0;
  for (const bool run_first : {true, false}) {
    SCOPED_TRACE(run_first ? "expiry run, then return" : "return, then expiry run");
    TestTerminal t(RewardsProgram());
    ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), testing::Eur({5000}), 0}).ok());  // 50
    t.clock.AdvanceDays(20);
    ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), testing::Eur({3000}), 0}).ok());  // 30
    t.clock.AdvanceDays(kExpiryDays - 20 + 1);  // s1's points are past their date
    if (run_first) {
      auto expired = t->ExpirePoints("x1");
      ASSERT_TRUE(expired.ok());
      ASSERT_EQ(expired->size(), 1u);
      EXPECT_EQ(expired->front().redeemed, 50);
    }
    auto refund = t->Refund({"rf1", "s1", std::nullopt});
    ASSERT_TRUE(refund.ok()) << refund.status().ToString();
    EXPECT_EQ(refund->earned, 0) << "s1's points had expired: nothing is left to take back";
    if (!run_first) {
      ASSERT_TRUE(t->ExpirePoints("x1").ok());
    }
    const CardView view = *t->Lookup(Card("LC0001"));
    EXPECT_EQ(view.balance, 30) << "s2's lot is untouched";
    EXPECT_EQ(view.available, 30);
    (run_first ? balance_with_run_first : balance_with_return_first) = view.balance;
    EXPECT_TRUE(t->Verify()->ok);
  }
  EXPECT_EQ(balance_with_run_first, balance_with_return_first);
}

// Part of a sale's points spent, the rest expired: the return takes back
// the spent part (as debt or from other lots), not the expired part.
TEST(ReturnAfterExpiryTest, SpentPartIsTakenBackExpiredPartIsNot) {
  TestTerminal t(RewardsProgram());
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), testing::Eur({5000}), 0}).ok());  // 50
  ASSERT_TRUE(t->Redeem({"r1", Card("LC0001"), 20, "mug"}).ok());
  t.clock.AdvanceDays(kExpiryDays + 1);
  ASSERT_TRUE(t->ExpirePoints("x1").ok());
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 0);
  auto refund = t->Refund({"rf1", "s1", std::nullopt});
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->earned, -20);
  EXPECT_EQ(refund->after.balance, -20);
  EXPECT_TRUE(t->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
