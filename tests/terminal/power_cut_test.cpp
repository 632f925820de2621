// A till killed at random moments (SIGKILL, the closest a test gets to
// pulling the plug): every operation it reported as done is there exactly
// once, nothing half-written is there, the chain verifies and every cached
// balance equals its entries.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <string>

#include "support/progress_pipe.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;

// The child: trades forever, reporting each committed op id.
[[noreturn]] void Trade(const Options& options, int round, testing::ProgressPipe& progress) {
  auto opened = Terminal::Open(options);
  if (!opened.ok()) _exit(3);
  Terminal& till = **opened;
  std::mt19937_64 rng(static_cast<std::uint64_t>(round) * 7919 + 1);
  auto report = [&](const std::string& op_id) { progress.Report(op_id); };
  const std::string cards[] = {"LC0001", "LC0002", "LC0003"};
  for (const auto& c : cards) {
    if (till.Enroll({"enroll-" + c, *CardId::Parse(c), "", "Customer " + c}).ok()) {
      report("enroll-" + c);
    }
  }
  for (int i = 0;; ++i) {
    const std::string id = std::to_string(round) + "-" + std::to_string(i);
    const CardId card = *CardId::Parse(cards[rng() % 3]);
    switch (rng() % 4) {
      case 0:
      case 1: {
        auto r = till.Commit({"sale-" + id, card, Eur({static_cast<std::int64_t>(100 + rng() % 5000)}),
                              0});
        if (r.ok()) report("sale-" + id);
        break;
      }
      case 2: {
        auto r = till.Redeem({"redeem-" + id, card, static_cast<Points>(1 + rng() % 10), "gift"});
        if (r.ok()) report("redeem-" + id);
        break;
      }
      case 3: {
        const std::string sale = "sale-" + std::to_string(round) + "-" +
                                 std::to_string(i > 0 ? rng() % static_cast<std::uint64_t>(i) : 0);
        auto r = till.Refund({"refund-" + id, sale, static_cast<std::int64_t>(1 + rng() % 200)});
        if (r.ok()) report("refund-" + id);
        break;
      }
    }
  }
}

TEST(PowerCutTest, KilledTillLosesNothingAndDoublesNothing) {
  testing::TestTerminal t;
  t.Close();
  Options options = t.options;
  options.clock = nullptr;  // the child uses the real clock
  std::mt19937_64 rng(2026);
  std::set<std::string> reported;
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    testing::ProgressPipe progress;
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      progress.BecomeChild();
      Trade(options, round, progress);
    }
    progress.BecomeParent();
    // The plug is pulled after a random number of reported operations and
    // then at a random point of the operations under way: the kill lands
    // after real work however busy the machine is.
    const std::size_t done = 4 + rng() % 40;
    ASSERT_GE(progress.WaitForLines(done, std::chrono::seconds(300)), done)
        << "round " << round << ": the child made no progress";
    usleep(static_cast<useconds_t>(rng() % 5'000));
    kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited by itself with " << WEXITSTATUS(wstatus);
    progress.Drain();
    reported.insert(progress.lines().begin(), progress.lines().end());

    // Reopen as the till would after the power came back.
    auto reopened = Terminal::Open(options);
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    auto report = (*reopened)->Verify();
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->ok) << "round " << round << ": " << report->problem;
  }

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(options.database_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  // Every reported operation is recorded once and has its entries.
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT count(*) FROM operations WHERE op_id = ?1), "
                               "(SELECT count(*) FROM entries WHERE op_id = ?1)",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  for (const std::string& id : reported) {
    sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), 1) << id;
    EXPECT_GE(sqlite3_column_int(stmt, 1), 1) << id;
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  // No operation wrote the same kind of entry twice, and no entry lacks its
  // operation record (a half-written operation). The program entry is no
  // POS operation's (no op id): the program recorded at the first open.
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT count(*) FROM (SELECT op_id FROM entries "
                               "  WHERE kind NOT IN ('expire', 'program') GROUP BY op_id, kind "
                               "  HAVING count(*) > 1)),"
                               "(SELECT count(*) FROM entries WHERE kind != 'program' AND "
                               "  op_id NOT IN (SELECT op_id FROM operations))",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0) << "an operation was applied twice";
  EXPECT_EQ(sqlite3_column_int(stmt, 1), 0) << "entries without their operation";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_GT(reported.size(), 50u);
}

}  // namespace
}  // namespace loyalty
