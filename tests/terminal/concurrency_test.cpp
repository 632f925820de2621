#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

TEST(ConcurrencyTest, TwoTillsRedeemingTheLastPointsExactlyOneSucceeds) {
  TestTerminal t;
  for (int round = 0; round < 50; ++round) {
    const std::string card = "LC" + std::to_string(1000 + round);
    ASSERT_TRUE(t->Enroll({"e" + card, Card(card), "", "Ada"}).ok());
    ASSERT_TRUE(t->Commit({"s" + card, Card(card), Eur({4000}), 0}).ok());
    std::atomic<int> ready{0};
    std::atomic<int> succeeded{0};
    std::atomic<int> refused{0};
    auto till = [&](const std::string& op) {
      ++ready;
      while (ready.load() < 2) {
      }
      auto r = t->Redeem({op, Card(card), 40, "last points"});
      if (r.ok()) {
        ++succeeded;
      } else if (r.status().code() == StatusCode::kInsufficientPoints) {
        ++refused;
      }
    };
    std::thread a(till, "a" + card);
    std::thread b(till, "b" + card);
    a.join();
    b.join();
    EXPECT_EQ(succeeded.load(), 1);
    EXPECT_EQ(refused.load(), 1);
    EXPECT_EQ(t->Lookup(Card(card))->balance, 0);
  }
  EXPECT_TRUE(t->Verify()->ok);
}

TEST(ConcurrencyTest, ManyThreadsTradingKeepTheChainAndBalancesExact) {
  TestTerminal t;
  constexpr int kThreads = 4;
  constexpr int kSales = 50;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(t->Enroll({"e" + std::to_string(i), Card("LC000" + std::to_string(i)), "", "x"})
                    .ok());
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const CardId card = Card("LC000" + std::to_string(i));
      for (int s = 0; s < kSales; ++s) {
        const std::string id = std::to_string(i) + "-" + std::to_string(s);
        EXPECT_TRUE(t->Commit({"s" + id, card, Eur({100}), 0}).ok());
        EXPECT_TRUE(t->Lookup(card).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(t->Lookup(Card("LC000" + std::to_string(i)))->balance, kSales);
  }
  auto report = t->Verify();
  EXPECT_TRUE(report->ok) << report->problem;
  // Each enrolment and its sales, and the program in force.
  EXPECT_EQ(report->entries_checked, kThreads * (kSales + 1) + 1);
}

}  // namespace
}  // namespace loyalty
