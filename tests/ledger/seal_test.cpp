// Someone with the sqlite3 shell edits the tables beside the entries:
// cards, accounts, operations, sale lines, lot moves, the till report's
// rows. Verify() must name the table and the row, and a sale must not seal
// a tampered row again. Every table of a ledger (found from sqlite_schema)
// must be covered and listed in docs/ledger.md.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ledger/database.hpp"
#include "ledger/seals.hpp"
#include "support/test_env.hpp"
#include "sync/sync_schema.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;

class SealTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Alice"}).ok());
    ASSERT_TRUE(t_->Enroll({"e2", Card("LC0002"), "", "Bob"}).ok());
    Checkout sale{"s1", Card("LC0001"), Eur({1000, 2500}), 0};
    sale.cashier_id = "till-anna";
    ASSERT_TRUE(t_->Commit(sale).ok());
    ASSERT_TRUE(t_->Commit({"s2", Card("LC0002"), Eur({5500}), 0}).ok());
    ASSERT_TRUE(t_->Redeem({"RD1", Card("LC0002"), 30, "mug"}).ok());
    ASSERT_TRUE(t_->Verify()->ok);
    t_.Close();
  }

  // Runs raw SQL on the closed ledger file, as the sqlite3 shell would.
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

  void ExpectNamed(const VerifyReport& r, const std::string& table, const std::string& row,
                   const std::string& what) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.table, table) << r.problem;
    EXPECT_NE(r.row.find(row), std::string::npos) << r.row;
    EXPECT_NE(r.problem.find(what), std::string::npos) << r.problem;
    EXPECT_NE(r.problem.find("table " + table), std::string::npos) << r.problem;
  }

  testing::TestTerminal t_;
};

TEST_F(SealTest, UntouchedLedgerVerifies) {
  VerifyReport r = VerifyAgain();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.accounts_checked, 2);
}

// Alice's card on Bob's account and Bob's on Alice's: her card would spend
// his points.
TEST_F(SealTest, CardsSwappedBetweenTwoAccountsAreNamed) {
  Sql("UPDATE cards SET account_id = (SELECT c2.account_id FROM cards c2 "
      "WHERE c2.card_hash <> cards.card_hash)");
  ExpectNamed(VerifyAgain(), "cards", "card_hash=x'", "altered");
}

TEST_F(SealTest, AlteredBlockedFlagIsNamed) {
  Sql("UPDATE cards SET blocked = 1 WHERE masked LIKE '%0002'");
  ExpectNamed(VerifyAgain(), "cards", "card_hash=x'", "altered");
}

TEST_F(SealTest, AlteredAccountNameIsNamed) {
  Sql("UPDATE accounts SET name = 'Mallory' WHERE name = 'Alice'");
  ExpectNamed(VerifyAgain(), "accounts", "account_id='", "altered");
}

// Without its record RD1 would run again when the POS retries.
TEST_F(SealTest, DeletedOperationIsNamed) {
  Sql("DELETE FROM operations WHERE op_id = 'RD1'");
  ExpectNamed(VerifyAgain(), "operations", "op_id='RD1'", "removed");
}

TEST_F(SealTest, AlteredReceiptIsNamed) {
  Sql("UPDATE operations SET receipt = replace(receipt, '30', '3') WHERE op_id = 'RD1'");
  ExpectNamed(VerifyAgain(), "operations", "op_id='RD1'", "altered");
}

// Lowered, then returned: the customer would keep the points.
TEST_F(SealTest, LoweredSaleLineIsNamed) {
  Sql("UPDATE sale_lines SET points = 0, amount_minor = 1 WHERE op_id = 's1' AND "
      "line_no = 1");
  ExpectNamed(VerifyAgain(), "sale_lines", "op_id='s1', line_no=1", "altered");
}

TEST_F(SealTest, AlteredLotMoveIsNamed) {
  Sql("UPDATE lot_moves SET points = points - 10");
  ExpectNamed(VerifyAgain(), "lot_moves", "entry_seq=", "altered");
}

TEST_F(SealTest, AlteredCashierIsNamed) {
  Sql("UPDATE op_cashiers SET cashier_id = 'till-bob'");
  ExpectNamed(VerifyAgain(), "op_cashiers", "op_id='s1'", "altered");
}

TEST_F(SealTest, InsertedCardIsNamed) {
  Sql("INSERT INTO cards SELECT zeroblob(32), account_id, masked, blocked, enrolled_at "
      "FROM cards LIMIT 1");
  ExpectNamed(VerifyAgain(), "cards", "card_hash=x'0000", "inserted");
}

TEST_F(SealTest, RowRemovedWithItsSealIsNamedByTable) {
  Sql("DELETE FROM operations WHERE op_id = 'RD1';"
      "DELETE FROM seals WHERE tbl = 'operations' AND k1 = 'RD1'");
  ExpectNamed(VerifyAgain(), "operations", "", "digest does not match");
}

// A card blocked at the till, then its unblocked row and seal put back.
TEST_F(SealTest, OlderRowPutBackWithItsOlderSealIsFound) {
  Sql("CREATE TABLE old_cards AS SELECT * FROM cards;"
      "CREATE TABLE old_seals AS SELECT * FROM seals WHERE tbl = 'cards'");
  t_.Reopen();
  ASSERT_TRUE(t_->Block({"b1", Card("LC0001"), true, "op", "lost"}).ok());
  t_.Close();
  Sql("DELETE FROM cards; INSERT INTO cards SELECT * FROM old_cards;"
      "DELETE FROM seals WHERE tbl = 'cards'; INSERT INTO seals SELECT * FROM old_seals;"
      "DROP TABLE old_cards; DROP TABLE old_seals");
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.table, "cards") << r.problem;
}

TEST_F(SealTest, ForgedSealDigestIsNamed) {
  Sql("UPDATE meta SET value = zeroblob(32) WHERE key = 'seals'");
  ExpectNamed(VerifyAgain(), "meta", "key='seals'", "do not verify");
}

TEST_F(SealTest, DeletedKeyCheckIsNamed) {
  Sql("DELETE FROM meta WHERE key = 'key_check'");
  ExpectNamed(VerifyAgain(), "meta", "key='key_check'", "key check is missing");
}

// A tampered row is never sealed again by the till's next write to it.
TEST_F(SealTest, TillRefusesToResealATamperedRow) {
  Sql("UPDATE cards SET account_id = (SELECT c2.account_id FROM cards c2 "
      "WHERE c2.card_hash <> cards.card_hash)");
  t_.Reopen();
  auto blocked = t_->Block({"b1", Card("LC0001"), true, "op", "lost"});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kTampered);
  EXPECT_NE(blocked.status().message().find("table cards"), std::string::npos)
      << blocked.status().message();
  auto r = t_->Verify();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->table, "cards");
}

TEST_F(SealTest, DamagedPagesFailTheIntegrityCheck) {
  // Enough entries for an index of many pages, then one of its pages zeroed.
  t_.Reopen();
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(t_->Commit({"x" + std::to_string(i), Card("LC0001"), Eur({100}), 0}).ok());
  }
  t_.Close();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(t_.options.database_path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT pageno FROM dbstat WHERE name = 'entries_by_at' "
                               "AND pagetype = 'leaf' ORDER BY pageno LIMIT 1",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::int64_t page = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  {
    std::fstream file(t_.options.database_path,
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp((page - 1) * 4096 + 100);
    const std::string junk(1000, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  VerifyReport r = VerifyAgain();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("integrity check"), std::string::npos) << r.problem;
}

// Every table a ledger can hold (its own and the sync tables) is covered,
// and docs/ledger.md says how.
TEST(SealCoverageTest, EveryTableIsCoveredAndDocumented) {
  testing::TestTerminal t;
  t.Close();
  auto db = ledger::Database::Open({t.options.database_path});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(sync::MigrateSyncSchema(**db).ok());
  auto tables = (*db)->Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  ASSERT_TRUE(tables.ok());

  std::ifstream doc(std::string(LOYALTY_DOCS_DIR) + "/ledger.md");
  ASSERT_TRUE(doc) << "docs/ledger.md";
  std::stringstream text;
  text << doc.rdbuf();
  // "| `table` | chained | ..." rows of the coverage table.
  std::map<std::string, std::string> documented;
  const std::regex row(R"(\|\s*`([a-z_]+)`\s*\|\s*(chained|sealed|own)\b)");
  const std::string all = text.str();
  for (auto it = std::sregex_iterator(all.begin(), all.end(), row);
       it != std::sregex_iterator(); ++it) {
    documented[(*it)[1]] = (*it)[2];
  }
  int count = 0;
  for (;;) {
    auto next = tables->Step();
    ASSERT_TRUE(next.ok());
    if (!*next) break;
    const std::string name = tables->Text(0);
    ++count;
    const ledger::Coverage coverage = ledger::CoverageOf(name);
    const std::string expected = coverage == ledger::Coverage::kChained ? "chained"
                                 : coverage == ledger::Coverage::kOwn   ? "own"
                                                                        : "sealed";
    ASSERT_TRUE(documented.count(name))
        << "table " << name << " is not listed in docs/ledger.md (What Verify covers)";
    EXPECT_EQ(documented[name], expected) << "table " << name;
  }
  EXPECT_GT(count, 20);
}

}  // namespace
}  // namespace loyalty
