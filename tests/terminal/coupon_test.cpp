// Coupon codes: a campaign code anyone may use, and next-visit codes a
// rule issues to one card.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

const char* kProgram = R"({"format": 1, "id": "c", "version": 1, "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "rules": [{"id": "big-basket", "type": "visit", "points": 5, "min_basket": "50.00",
             "issue_coupon": "next-visit"}],
  "coupons": [
    {"id": "summer", "kind": "order_percent", "percent": 10, "code": "SUMMER26",
     "per_customer": 1},
    {"id": "next-visit", "kind": "order_amount", "amount": "3.00", "valid_days": 14}]})";

class CouponTest : public ::testing::Test {
 protected:
  CouponTest() : t_(kProgram) {}
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t_->Enroll({"e2", Card("LC0002"), "", "Bob"}).ok());
  }
  TestTerminal t_;
};

TEST_F(CouponTest, CampaignCodeOncePerCustomer) {
  auto sale = t_->Commit({"s1", Card("LC0001"), Eur({2000}), 0, {}, {"SUMMER26"}});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(sale->discount_minor, 200);
  EXPECT_EQ(sale->earned, 18);
  auto again = t_->Commit({"s2", Card("LC0001"), Eur({2000}), 0, {}, {"SUMMER26"}});
  EXPECT_NE(again.status().message().find("already taken 1 of 1 times"), std::string::npos)
      << again.status().message();
  EXPECT_TRUE(t_->Commit({"s3", Card("LC0002"), Eur({2000}), 0, {}, {"SUMMER26"}}).ok());
  auto bogus = t_->Commit({"s4", Card("LC0002"), Eur({2000}), 0, {}, {"WINTER99"}});
  EXPECT_EQ(bogus.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bogus.status().message().find("coupons[0]: 'WINTER99' is not a coupon code"),
            std::string::npos);
  // A full refund gives the use back.
  ASSERT_TRUE(t_->Refund({"r1", "s1", std::nullopt}).ok());
  EXPECT_TRUE(t_->Commit({"s5", Card("LC0001"), Eur({2000}), 0, {}, {"SUMMER26"}}).ok());
}

TEST_F(CouponTest, NextVisitCodeIsForThatCardOnceAndExpires) {
  auto big = t_->Commit({"s1", Card("LC0001"), Eur({6000}), 0});
  ASSERT_TRUE(big.ok());
  ASSERT_EQ(big->coupons_issued.size(), 1u);
  const std::string code = big->coupons_issued[0];
  auto other = t_->Commit({"s2", Card("LC0002"), Eur({1000}), 0, {}, {code}});
  EXPECT_NE(other.status().message().find("was issued to another card"), std::string::npos);
  auto quote = t_->QuoteBasket(Card("LC0001"), Eur({1000}), {}, {code});
  ASSERT_TRUE(quote.ok()) << quote.status().ToString();
  EXPECT_EQ(quote->discount_minor, 300);
  ASSERT_TRUE(t_->Commit({"s3", Card("LC0001"), Eur({1000}), 0, {}, {code}}).ok());
  auto twice = t_->Commit({"s4", Card("LC0001"), Eur({1000}), 0, {}, {code}});
  EXPECT_NE(twice.status().message().find("was already used"), std::string::npos);

  auto second = t_->Commit({"s5", Card("LC0001"), Eur({6000}), 0});
  const std::string late = second->coupons_issued.at(0);
  t_.clock.AdvanceDays(15);
  auto expired = t_->Commit({"s6", Card("LC0001"), Eur({1000}), 0, {}, {late}});
  EXPECT_NE(expired.status().message().find("has expired"), std::string::npos);
}

TEST_F(CouponTest, ReturningTheSaleRevokesTheCodeItIssued) {
  auto big = t_->Commit({"s1", Card("LC0001"), Eur({6000}), 0});
  const std::string code = big->coupons_issued.at(0);
  ASSERT_TRUE(t_->Refund({"r1", "s1", std::nullopt}).ok());
  auto use = t_->Commit({"s2", Card("LC0001"), Eur({1000}), 0, {}, {code}});
  EXPECT_NE(use.status().message().find("was already used"), std::string::npos);
  EXPECT_TRUE(t_->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
