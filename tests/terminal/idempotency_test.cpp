#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

TEST(IdempotencyTest, SameReceiptTwiceEarnsOnce) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  auto first = t->Commit({"r-1001", Card("LC0001"), Eur({2500}), 0});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto retry = t->Commit({"r-1001", Card("LC0001"), Eur({2500}), 0});
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->earned, first->earned);
  EXPECT_EQ(retry->entry_seqs, first->entry_seqs);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 25);
  EXPECT_EQ(t->History(Card("LC0001"))->size(), 2u);
}

TEST(IdempotencyTest, SameIdWithOtherContentIsAnError) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"r-1001", Card("LC0001"), Eur({2500}), 0}).ok());
  auto other = t->Commit({"r-1001", Card("LC0001"), Eur({9900}), 0});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kDuplicateIdConflict);
  EXPECT_NE(other.status().message().find("r-1001"), std::string::npos);
  // An id is one operation, whatever its kind.
  EXPECT_EQ(t->Redeem({"r-1001", Card("LC0001"), 1, "x"}).status().code(),
            StatusCode::kDuplicateIdConflict);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 25);
}

TEST(IdempotencyTest, EveryOperationReplays) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"})->replayed);
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());
  ASSERT_TRUE(t->Redeem({"r1", Card("LC0001"), 10, "mug"}).ok());
  EXPECT_TRUE(t->Redeem({"r1", Card("LC0001"), 10, "mug"})->replayed);
  ASSERT_TRUE(t->Refund({"f1", "s1", 1000}).ok());
  EXPECT_TRUE(t->Refund({"f1", "s1", 1000})->replayed);
  ASSERT_TRUE(t->Adjust({"a1", Card("LC0001"), 5, "mgr", "x"}).ok());
  EXPECT_TRUE(t->Adjust({"a1", Card("LC0001"), 5, "mgr", "x"})->replayed);
  ASSERT_TRUE(t->Void({"v1", "r1", "mgr", "x"}).ok());
  EXPECT_TRUE(t->Void({"v1", "r1", "mgr", "x"})->replayed);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 50 - 10 - 10 + 5 + 10);
}

TEST(IdempotencyTest, RetryAfterRestartStillReplays) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());
  t.Reopen();
  auto retry = t->Commit({"s1", Card("LC0001"), Eur({5000}), 0});
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 50);
}

TEST(IdempotencyTest, AFailedOperationCanBeRetriedWithTheSameId) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_EQ(t->Redeem({"r1", Card("LC0001"), 10, "mug"}).status().code(),
            StatusCode::kInsufficientPoints);
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());
  auto retry = t->Redeem({"r1", Card("LC0001"), 10, "mug"});
  ASSERT_TRUE(retry.ok());
  EXPECT_FALSE(retry->replayed);
}

}  // namespace
}  // namespace loyalty
