// "Every 10th coffee free": a stamp card at the till.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::TestTerminal;

const char* kCoffeeShop = R"({"format": 1, "id": "corner-coffee", "version": 1,
  "currency": "EUR", "earn": {"points": 1, "per": "1.00"},
  "rewards": [{"id": "free-coffee", "kind": "free_product", "stamp_card": "coffee",
               "products": ["ESPRESSO", "LATTE"]}],
  "stamp_cards": [{"id": "coffee", "products": ["ESPRESSO", "LATTE"], "count": "items",
                   "needed": 10, "reward": "free-coffee"}]})";

Basket Coffees(std::int64_t lattes, std::int64_t cakes = 0) {
  Basket b{"EUR", {{"LATTE", "coffee", lattes, lattes * 350, false}}};
  if (cakes > 0) b.lines.push_back({"CAKE", "food", cakes, cakes * 400, false});
  return b;
}

class StampCardTest : public ::testing::Test {
 protected:
  StampCardTest() : t_(kCoffeeShop) {}
  void SetUp() override { ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok()); }
  std::int64_t Stamps() { return t_->Lookup(Card("LC0001"))->stamps.at(0).balance; }
  TestTerminal t_;
};

TEST_F(StampCardTest, TenthCoffeeIsFree) {
  for (int i = 0; i < 9; ++i) {
    auto sale = t_->Commit({"s" + std::to_string(i), Card("LC0001"), Coffees(1), 0});
    ASSERT_TRUE(sale.ok());
    ASSERT_EQ(sale->stamps.at(0).collected, 1);
  }
  EXPECT_EQ(Stamps(), 9);
  auto quote = t_->QuoteBasket(Card("LC0001"), Coffees(1));
  EXPECT_FALSE(quote->rewards.at(0).available);
  EXPECT_EQ(quote->rewards.at(0).why_not, "needs 10 stamps, 9 collected");
  ASSERT_TRUE(t_->Commit({"s9", Card("LC0001"), Coffees(1), 0}).ok());
  EXPECT_EQ(Stamps(), 10);
  // The free coffee: no charge, no stamp, no points for it.
  auto free = t_->Commit({"s10", Card("LC0001"), Coffees(1, 1), 0, {"free-coffee"}});
  ASSERT_TRUE(free.ok()) << free.status().ToString();
  EXPECT_EQ(free->discount_minor, 350);
  EXPECT_EQ(free->earned, 4);      // the cake only
  EXPECT_EQ(free->redeemed, 0);    // paid in stamps, not points
  EXPECT_EQ(Stamps(), 0);
  EXPECT_EQ(t_->Commit({"s11", Card("LC0001"), Coffees(1), 0, {"free-coffee"}})
                .status().code(),
            StatusCode::kRewardRefused);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(StampCardTest, ReturnsTakeStampsBack) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Coffees(3, 1), 0}).ok());
  EXPECT_EQ(Stamps(), 3);
  // One latte back: one stamp back.
  auto r1 = t_->Refund({"r1", "s1", std::nullopt, {{0, 1}}});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(Stamps(), 2);
  // The cake back: no stamp moves.
  ASSERT_TRUE(t_->Refund({"r2", "s1", std::nullopt, {{1, 1}}}).ok());
  EXPECT_EQ(Stamps(), 2);
  ASSERT_TRUE(t_->Refund({"r3", "s1", std::nullopt}).ok());
  EXPECT_EQ(Stamps(), 0);
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 0);
}

TEST_F(StampCardTest, VoidingTheFreeCoffeeGivesTheStampsBack) {
  ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Coffees(10), 0}).ok());
  ASSERT_TRUE(t_->Commit({"s2", Card("LC0001"), Coffees(1), 0, {"free-coffee"}}).ok());
  EXPECT_EQ(Stamps(), 0);
  ASSERT_TRUE(t_->Void({"v1", "s2", "mgr", "wrong customer"}).ok());
  EXPECT_EQ(Stamps(), 10);
  auto history = t_->History(Card("LC0001"));
  EXPECT_EQ(history->front().kind, EntryKind::kStamp);
  EXPECT_EQ(history->front().stamps, 10);
  EXPECT_EQ(history->front().stamp_card, "coffee");
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST(StampCardProgramTest, AStampRewardMustNameItsCard) {
  TestTerminal t;
  const std::string bad = testing::WriteFile(t.dir.File("bad.json"), R"({
    "format": 1, "id": "x", "version": 1, "currency": "EUR",
    "earn": {"points": 1, "per": "1.00"},
    "rewards": [{"id": "free-coffee", "kind": "free_product", "cost": 10,
                 "products": ["LATTE"]}],
    "stamp_cards": [{"id": "coffee", "products": ["LATTE"], "needed": 10,
                     "reward": "free-coffee"}]})");
  Status s = t->LoadProgram(bad);
  EXPECT_NE(s.message().find("stamp_cards[0].reward: reward \"free-coffee\" must say"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace loyalty
