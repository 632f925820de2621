// The program in force is bound to the ledger: each program that goes in
// force is a "program" entry holding its SHA-256, and a program file
// changed on disk behind the till's back is refused at Open unless it is
// signed or the caller opts out, which is logged (docs/security.md, "The
// program in force").
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <mutex>
#include <vector>

#include "support/test_env.hpp"
#include "trust/codec.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;

std::string Sha256Hex(const std::string& text) { return trust::ToHex(trust::Sha256(text)); }

// The program entries of the ledger, oldest first: (seq, ref, note).
struct ProgramRow {
  std::int64_t seq;
  std::string ref;
  std::string note;
};
std::vector<ProgramRow> ProgramEntries(const std::string& db_path) {
  sqlite3* db = nullptr;
  std::vector<ProgramRow> rows;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT seq, ref, note FROM entries WHERE kind = 'program' "
                               "AND account_id = '' AND points = 0 ORDER BY seq",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    rows.push_back({sqlite3_column_int64(stmt, 0),
                    reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)),
                    reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2))});
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

void Exec(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

const std::string kTwoPoints = testing::DefaultProgramJson().replace(
    testing::DefaultProgramJson().find("\"points\": 1"), 11, "\"points\": 2");

class ProgramBindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok());
  }
  // Read with the sqlite3 API: the Terminal holds its file exclusively,
  // so it is closed first (and reopened when `reopen`).
  std::vector<ProgramRow> Rows(bool reopen = true) {
    t_.Close();
    auto rows = ProgramEntries(t_.options.database_path);
    if (reopen) t_.Reopen();
    return rows;
  }

  testing::TestTerminal t_;
};

TEST_F(ProgramBindingTest, TheFirstOpenRecordsTheProgramAsTheFirstEntry) {
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].seq, 1);
  EXPECT_EQ(rows[0].ref, Sha256Hex(testing::DefaultProgramJson()));
  EXPECT_NE(rows[0].note.find("program 'test' version 1"), std::string::npos) << rows[0].note;
  auto report = t_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries_checked, 3) << "the program, the enrolment and the sale";
  // It belongs to no customer: no history shows it.
  auto history = t_->History(Card("LC0001"));
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);
}

TEST_F(ProgramBindingTest, ReopeningWithTheSameProgramRecordsNothing) {
  t_.Reopen();
  t_.Reopen();
  EXPECT_EQ(Rows().size(), 1u);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ProgramBindingTest, AnUnsignedChangeOnDiskIsRefusedByDefault) {
  t_.Close();
  testing::WriteFile(t_.options.program_path, kTwoPoints);
  auto opened = Terminal::Open(t_.options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kTampered);
  const std::string message = opened.status().message();
  EXPECT_NE(message.find("unsigned change on disk"), std::string::npos) << message;
  EXPECT_NE(message.find(t_.options.program_path), std::string::npos) << message;
  EXPECT_NE(message.find("allow_unsigned_program_change"), std::string::npos) << message;
  EXPECT_EQ(Rows(/*reopen=*/false).size(), 1u) << "nothing recorded";
  // The program it knows opens the ledger again, unchanged.
  testing::WriteFile(t_.options.program_path, testing::DefaultProgramJson());
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ProgramBindingTest, OptingOutPutsTheChangeInForceLogsItAndRecordsIt) {
  t_.Close();
  testing::WriteFile(t_.options.program_path, kTwoPoints);
  std::mutex mutex;
  std::vector<std::string> warnings;
  t_.options.log = [&](LogLevel level, std::string_view line) {
    std::lock_guard<std::mutex> guard(mutex);
    if (level == LogLevel::kWarning) warnings.emplace_back(line);
  };
  t_.options.allow_unsigned_program_change = true;
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  EXPECT_EQ(t_->Commit({"s2", Card("LC0001"), Eur({1000}), 0})->earned, 20);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("unsigned change on disk"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("allow_unsigned_program_change"), std::string::npos);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].ref, Sha256Hex(kTwoPoints));
  EXPECT_NE(rows[1].note.find("allow_unsigned_program_change"), std::string::npos);
  EXPECT_TRUE(t_->Verify()->ok);
  // Now it is the program last in force: it opens without the option.
  t_.options.allow_unsigned_program_change = false;
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  EXPECT_EQ(Rows().size(), 2u);
}

TEST_F(ProgramBindingTest, LoadProgramRecordsTheNewProgramAndReopensWithIt) {
  const std::string two = testing::WriteFile(t_.dir.File("two.json"), kTwoPoints);
  ASSERT_TRUE(t_->LoadProgram(two).ok());
  ASSERT_TRUE(t_->LoadProgram(two).ok());
  auto rows = Rows(/*reopen=*/false);
  ASSERT_EQ(rows.size(), 2u) << "loading the same program again records nothing";
  EXPECT_EQ(rows[1].ref, Sha256Hex(kTwoPoints));
  EXPECT_NE(rows[1].note.find("LoadProgram"), std::string::npos) << rows[1].note;
  // Restarted with the old file, the till would silently run the old
  // program: that is a change too.
  auto old = Terminal::Open(t_.options);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kTampered);
  t_.options.program_path = two;
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  EXPECT_EQ(t_->Commit({"s2", Card("LC0001"), Eur({1000}), 0})->earned, 20);
}

TEST_F(ProgramBindingTest, VerifyNamesAProgramFileChangedWhileTheTillRuns) {
  testing::WriteFile(t_.options.program_path, kTwoPoints);
  auto report = t_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_NE(report->problem.find(t_.options.program_path), std::string::npos) << report->problem;
  EXPECT_NE(report->problem.find("changed on disk since it went in force"), std::string::npos)
      << report->problem;
  testing::WriteFile(t_.options.program_path, testing::DefaultProgramJson());
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(ProgramBindingTest, AProgramEntryEditedInTheFileIsNamedByVerify) {
  t_.Close();
  // The attacker records the hash of the file they are about to swap in.
  Exec(t_.options.database_path, "UPDATE entries SET ref = '" + Sha256Hex(kTwoPoints) +
                                     "' WHERE kind = 'program'");
  testing::WriteFile(t_.options.program_path, kTwoPoints);
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr) << "the file matches the edited entry";
  auto report = t_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 1);
  EXPECT_EQ(report->table, "entries");
  EXPECT_EQ(report->row, "seq=1");
}

TEST_F(ProgramBindingTest, AProgramEntryDeletedIsNamedByVerify) {
  t_.Close();
  Exec(t_.options.database_path, "DELETE FROM entries WHERE kind = 'program'");
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  auto report = t_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 1);
}

}  // namespace
}  // namespace loyalty
