// Payment can still fail after a reward was applied: hold, then confirm or
// release; a hold left open releases itself.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

const char* kProgram = R"({"format": 1, "id": "r", "version": 1, "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "reservations": {"hold_minutes": 10},
  "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00",
               "stock": 1}]})";

class ReservationTest : public ::testing::Test {
 protected:
  ReservationTest() : t_(kProgram) {}
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t_->Commit({"s0", Card("LC0001"), Eur({8000}), 0}).ok());  // 80 points
  }
  CardView View() { return *t_->Lookup(Card("LC0001")); }
  TestTerminal t_;
};

TEST_F(ReservationTest, HeldPointsAreVisibleThenConfirmedIntoASale) {
  auto held = t_->Reserve({"s1", Card("LC0001"), Eur({3000}), 0, {"five-off"}});
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ(held->held, 50);
  EXPECT_EQ(held->earned, 0);
  EXPECT_EQ(View().available, 30);
  EXPECT_EQ(View().held, 50);
  EXPECT_EQ(t_->Balance(Card("LC0001"))->held, 50);
  EXPECT_EQ(t_->Balance(Card("LC0001"))->available, 30);
  auto confirmed = t_->ConfirmReservation({"c1", "s1"});
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(confirmed->earned, 25);  // on the 25.00 paid
  EXPECT_EQ(View().available, 55);
  EXPECT_EQ(View().held, 0);
  EXPECT_EQ(t_->ConfirmReservation({"c2", "s1"}).status().code(), StatusCode::kAlreadyReversed);
  // The confirmed sale is refunded like any other, by the reservation's id.
  ASSERT_TRUE(t_->Refund({"r1", "s1", std::nullopt}).ok());
  EXPECT_EQ(View().available, 80);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ReservationTest, ReleaseGivesEverythingBack) {
  ASSERT_TRUE(t_->Reserve({"s1", Card("LC0001"), Eur({3000}), 0, {"five-off"}}).ok());
  auto released = t_->ReleaseReservation({"x1", "s1"});
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(released->redeemed, -50);
  EXPECT_EQ(View().available, 80);
  // The reward's stock came back too.
  EXPECT_TRUE(t_->Commit({"s2", Card("LC0001"), Eur({3000}), 0, {"five-off"}}).ok());
  EXPECT_EQ(t_->ConfirmReservation({"c1", "s1"}).status().code(),
            StatusCode::kAlreadyReversed);
  EXPECT_TRUE(t_->ReleaseReservation({"x1", "s1"})->replayed);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ReservationTest, AnOpenReservationExpiresByItself) {
  ASSERT_TRUE(t_->Reserve({"s1", Card("LC0001"), Eur({3000}), 0, {"five-off"}}).ok());
  t_.clock.AdvanceMs(11 * 60'000);
  EXPECT_EQ(View().available, 80);  // shown back at once
  EXPECT_EQ(View().held, 0);
  EXPECT_EQ(t_->Balance(Card("LC0001"))->available, 80);
  // The next sale writes the release and can spend the points again.
  auto sale = t_->Commit({"s2", Card("LC0001"), Eur({1000}), 0, {"five-off"}});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(View().available, 80 - 50 + 5);
  EXPECT_EQ(t_->ConfirmReservation({"c1", "s1"}).status().code(),
            StatusCode::kAlreadyReversed);
  EXPECT_EQ(t_->ReleaseReservation({"x1", "nope"}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ReservationTest, VoidingAnOpenReservationIsNotGivenBackTwice) {
  ASSERT_TRUE(t_->Reserve({"s1", Card("LC0001"), Eur({3000}), 0, {"five-off"}}).ok());
  ASSERT_TRUE(t_->Void({"v1", "s1", "mgr", "customer left"}).ok());
  EXPECT_EQ(View().available, 80);
  ASSERT_TRUE(t_->ReleaseReservation({"x1", "s1"}).ok());
  EXPECT_EQ(View().available, 80);
  EXPECT_TRUE(t_->Verify()->ok);
}

}  // namespace
}  // namespace loyalty
