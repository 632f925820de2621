// Gift cards and the e-wallet: money tenders with the same idempotency and
// refund behaviour as points.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

class StoredValueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t_->LoadGiftCard({"g1", Card("GC-5555-0001"), 5000}).ok());
  }
  std::int64_t Gift() { return *t_->GiftCardBalance(Card("GC-5555-0001")); }
  TestTerminal t_;
};

TEST_F(StoredValueTest, GiftCardPaysPartOfASaleThatStillEarnsInFull) {
  EXPECT_EQ(Gift(), 5000);
  EXPECT_TRUE(t_->LoadGiftCard({"g1", Card("GC-5555-0001"), 5000})->replayed);
  EXPECT_EQ(Gift(), 5000);
  Checkout sale{"s1", Card("LC0001"), Eur({8000}), 0};
  sale.gift_cards = {{Card("GC-5555-0001"), 3000}};
  auto r = t_->Commit(sale);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stored_value_minor, -3000);
  EXPECT_EQ(r->earned, 80);
  EXPECT_EQ(Gift(), 2000);
  // Half the sale back: half of what the gift card paid goes back to it,
  // and half the points leave the customer's account (not the gift card's).
  auto half = t_->Refund({"r1", "s1", 4000});
  ASSERT_TRUE(half.ok()) << half.status().ToString();
  EXPECT_EQ(half->earned, -40);
  EXPECT_EQ(half->account_id, t_->Lookup(Card("LC0001"))->account_id);
  EXPECT_EQ(Gift(), 3500);
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 40);
  ASSERT_TRUE(t_->Refund({"r2", "s1", std::nullopt}).ok());
  EXPECT_EQ(Gift(), 5000);
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 0);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(StoredValueTest, VoidingASalePaidWithAGiftCardUndoesItForTheCustomer) {
  Checkout sale{"s1", Card("LC0001"), Eur({2000}), 0};
  sale.gift_cards = {{Card("GC-5555-0001"), 2000}};
  ASSERT_TRUE(t_->Commit(sale).ok());
  auto voided = t_->Void({"v1", "s1", "lead", "wrong card", ""});
  ASSERT_TRUE(voided.ok()) << voided.status().ToString();
  EXPECT_EQ(voided->earned, -20);
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 0);
  EXPECT_EQ(Gift(), 5000);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(StoredValueTest, NotEnoughOnTheCardIsAClearErrorAndNothingMoves) {
  Checkout sale{"s1", Card("LC0001"), Eur({8000}), 0};
  sale.gift_cards = {{Card("GC-5555-0001"), 6000}};
  auto r = t_->Commit(sale);
  EXPECT_EQ(r.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(r.status().message().find("holds 50.00 EUR, 60.00 EUR asked"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Gift(), 5000);
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 0);  // the sale did not happen
  sale.gift_cards = {{Card("GC-9999-0000"), 100}};
  EXPECT_EQ(t_->Commit(sale).status().code(), StatusCode::kUnknownCard);
  sale.gift_cards = {{Card("GC-5555-0001"), 5000}};
  sale.basket = Eur({4000});
  EXPECT_NE(t_->Commit(sale).status().message().find("only 40.00 EUR is left to pay"),
            std::string::npos);
}

TEST_F(StoredValueTest, WalletTopUpSpendAndVoid) {
  auto top = t_->TopUpWallet({"w1", Card("LC0001"), 2500});
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  EXPECT_EQ(top->after.wallet_minor, 2500);
  Checkout sale{"s1", Card("LC0001"), Eur({1000}), 0};
  sale.wallet_minor = 1000;
  auto r = t_->Commit(sale);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->after.wallet_minor, 1500);
  sale.op_id = "s2";
  sale.wallet_minor = 2000;
  EXPECT_EQ(t_->Commit(sale).status().code(), StatusCode::kInsufficientFunds);
  ASSERT_TRUE(t_->Void({"v1", "s1", "mgr", "rang up twice"}).ok());
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->wallet_minor, 2500);
  EXPECT_EQ(t_->TopUpWallet({"w2", Card("LC0001"), -5}).status().code(),
            StatusCode::kAmountNegative);
  EXPECT_TRUE(t_->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
