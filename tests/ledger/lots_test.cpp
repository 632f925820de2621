#include "ledger/lots.hpp"

#include "ledger/entry.hpp"

#include <gtest/gtest.h>

namespace loyalty::ledger {
namespace {

Lot MakeLot(std::int64_t id, Points points, std::int64_t expires, std::int64_t pending = 0) {
  Lot lot;
  lot.id = id;
  lot.points = points;
  lot.pending_until = pending;
  lot.expires_at = expires;
  return lot;
}

TEST(BookTest, RedemptionTakesTheLotsThatExpireFirst) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 100, 3000));
  book.Credit(MakeLot(2, 100, 2000));
  book.Credit(MakeLot(3, 100, kNever));
  auto moves = book.Spend(150, 10);
  ASSERT_TRUE(moves.ok());
  EXPECT_EQ(book.lots().at(2).remaining, 0);
  EXPECT_EQ(book.lots().at(1).remaining, 50);
  EXPECT_EQ(book.lots().at(3).remaining, 100);
  EXPECT_EQ(book.balance(), 150);
}

TEST(BookTest, PendingAndExpiredPointsCannotBeSpent) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 100, kNever, /*pending=*/500));
  book.Credit(MakeLot(2, 40, 200));
  EXPECT_EQ(book.Available(100), 40);
  EXPECT_EQ(book.Pending(100), 100);
  EXPECT_EQ(book.Available(300), 0);  // lot 2 expired, lot 1 still pending
  auto spend = book.Spend(1, 300);
  ASSERT_FALSE(spend.ok());
  EXPECT_EQ(spend.status().code(), StatusCode::kInsufficientPoints);
  EXPECT_EQ(book.Available(600), 100);
}

TEST(BookTest, ReversalOfSpentPointsBecomesDebtThatTheNextCreditRepays) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 100, kNever));
  ASSERT_TRUE(book.Spend(100, 1).ok());
  book.TakeBack(1, 100);
  EXPECT_EQ(book.balance(), -100);
  EXPECT_EQ(book.debt(), 100);
  EXPECT_EQ(book.Available(2), -100);
  book.Credit(MakeLot(2, 30, kNever));
  EXPECT_EQ(book.debt(), 70);
  EXPECT_EQ(book.lots().at(2).remaining, 0);
  book.Credit(MakeLot(3, 100, kNever));
  EXPECT_EQ(book.debt(), 0);
  EXPECT_EQ(book.lots().at(3).remaining, 30);
  EXPECT_EQ(book.balance(), 30);
}

TEST(BookTest, TakeBackUsesOtherLotsBeforeDebt) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 50, kNever));
  book.Credit(MakeLot(2, 80, kNever));
  ASSERT_TRUE(book.Spend(50, 1).ok());  // empties lot 1
  book.TakeBack(1, 50);
  EXPECT_EQ(book.debt(), 0);
  EXPECT_EQ(book.lots().at(2).remaining, 30);
  EXPECT_EQ(book.balance(), 30);
}

TEST(BookTest, GiveBackReturnsPointsToTheLotsTheyCameFrom) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 100, 1000));
  book.Credit(MakeLot(2, 100, 2000));
  auto moves = book.Spend(150, 1);
  ASSERT_TRUE(moves.ok());
  std::vector<LotMove> outstanding;
  for (auto m : *moves) outstanding.push_back({m.lot_id, -m.points});
  book.GiveBack(outstanding, 60);  // latest-expiring lot first
  EXPECT_EQ(book.lots().at(2).remaining, 100);
  EXPECT_EQ(book.lots().at(1).remaining, 10);
  EXPECT_EQ(book.balance(), 110);
}

TEST(BookTest, ExpiryEmptiesOnlyExpiredLots) {
  Book book(0, 0);
  book.Credit(MakeLot(1, 100, 1000));
  book.Credit(MakeLot(2, 100, 5000));
  EXPECT_EQ(book.ExpiredPoints(1000), 100);
  auto moves = book.Expire(1000);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].points, -100);
  EXPECT_EQ(book.balance(), 100);
}

}  // namespace
}  // namespace loyalty::ledger
