// Someone with a copy of the database edits it behind the library's back:
// verify() must name what was touched.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // seq 1: the program in force (written by Open).
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());      // seq 2
    ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok()); // seq 3
    ASSERT_TRUE(t_->Commit({"s2", Card("LC0001"), Eur({2000}), 0}).ok()); // seq 4
    ASSERT_TRUE(t_->Redeem({"r1", Card("LC0001"), 5, "coffee"}).ok());    // seq 5
    ASSERT_TRUE(t_->Commit({"s3", Card("LC0001"), Eur({700}), 0}).ok());  // seq 6
    ASSERT_TRUE(t_->Verify()->ok);
    t_.Close();
  }

  // Runs raw SQL on the closed ledger file.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(t_.options.database_path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  VerifyReport VerifyAgain() {
    t_.Reopen();
    auto report = t_->Verify();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  testing::TestTerminal t_;
};

TEST_F(TamperTest, UntouchedLedgerVerifies) {
  VerifyReport r = VerifyAgain();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries_checked, 6);
  EXPECT_EQ(r.accounts_checked, 1);
}

// The account's cached lot sums (what Balance reads, schema 11) are
// checked like its cached balance.
TEST_F(TamperTest, AlteredCachedLotSumsAreNamed) {
  Sql("UPDATE accounts SET lots_usable = lots_usable + 100");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 0);
  EXPECT_NE(r.problem.find("cached lot sums"), std::string::npos) << r.problem;
}

TEST_F(TamperTest, StretchedCacheWindowIsNamed) {
  // The sums would outlive a lot's expiry.
  Sql("UPDATE lots SET expires_at = 9000000000000 WHERE lot_id = 3");
  Sql("UPDATE accounts SET lots_until = 9223372036854775807");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("matures or expires inside the window"), std::string::npos)
      << r.problem;
}

TEST_F(TamperTest, AlteredEntryIsNamed) {
  Sql("UPDATE entries SET points = 2000 WHERE seq = 3");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_NE(r.problem.find("entry 3 was altered"), std::string::npos) << r.problem;
}

TEST_F(TamperTest, DeletedEntryIsNamed) {
  Sql("DELETE FROM entries WHERE seq = 3");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_NE(r.problem.find("entry 3 is missing"), std::string::npos) << r.problem;
}

TEST_F(TamperTest, DeletedLastEntryIsNamed) {
  Sql("DELETE FROM entries WHERE seq = 6");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6);
  EXPECT_NE(r.problem.find("removed from the end"), std::string::npos) << r.problem;
}

TEST_F(TamperTest, InsertedEntryInTheMiddleIsNamed) {
  // Make room at seq 3 and copy entry 2 there, MAC and all.
  Sql("UPDATE entries SET seq = seq + 100 WHERE seq >= 3;"
      "UPDATE entries SET seq = seq - 99 WHERE seq >= 103;"
      "INSERT INTO entries SELECT 3, op_id, kind, account_id, points, amount_minor, "
      "currency, reverses_seq, pending_until, expires_at, at, note, mac, units, ref "
      "FROM entries WHERE seq = 2;");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST_F(TamperTest, EntryAppendedBehindTheLibrarysBackIsNamed) {
  Sql("INSERT INTO entries SELECT 7, 'forged', kind, account_id, 500, amount_minor, "
      "currency, reverses_seq, pending_until, expires_at, at, note, mac, units, ref "
      "FROM entries WHERE seq = 6;");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 7);
}

TEST_F(TamperTest, ReorderedEntriesAreNamed) {
  Sql("UPDATE entries SET seq = 100 WHERE seq = 2;"
      "UPDATE entries SET seq = 2 WHERE seq = 3;"
      "UPDATE entries SET seq = 3 WHERE seq = 100;");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
}

TEST_F(TamperTest, EditedCachedBalanceIsNamedAndRebuildable) {
  Sql("UPDATE accounts SET balance = balance + 1000");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 0);
  EXPECT_NE(r.problem.find("cached balance"), std::string::npos) << r.problem;
  ASSERT_TRUE(t_->RebuildBalances().ok());
  r = *t_->Verify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(t_->Lookup(Card("LC0001"))->balance, 10 + 20 - 5 + 7);
}

TEST_F(TamperTest, EditedLotIsNamed) {
  Sql("UPDATE lots SET remaining = remaining + 50 WHERE lot_id = 3");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("lots hold"), std::string::npos) << r.problem;
}

TEST_F(TamperTest, RebuildRefusesABrokenChain) {
  Sql("UPDATE entries SET points = 2000 WHERE seq = 3");
  t_.Reopen();
  Status s = t_->RebuildBalances();
  EXPECT_EQ(s.code(), StatusCode::kTampered);
}

TEST_F(TamperTest, WrongKeyIsAClearError) {
  t_.options.terminal_key = std::string(40, 'k');
  auto opened = Terminal::Open(t_.options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("terminal_key"), std::string::npos);
}

TEST_F(TamperTest, CardNumbersAreNeverStoredInClear) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(t_.options.database_path.c_str(), &db), SQLITE_OK);
  sqlite3_close(db);
  std::ifstream in(t_.options.database_path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("LC0001"), std::string::npos);
  EXPECT_NE(bytes.find("**0001"), std::string::npos);  // the masked form is there
}

}  // namespace
}  // namespace loyalty
