#include <gtest/gtest.h>
#include <sqlite3.h>

#include "ledger/database.hpp"
#include "ledger/schema.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::ScratchDir;

// A ledger left at each earlier schema version opens, migrates forward and
// works as a new one.
TEST(MigrationTest, EveryEarlierVersionMigratesForward) {
  for (std::int64_t from = 0; from < ledger::LatestSchemaVersion(); ++from) {
    SCOPED_TRACE("from schema version " + std::to_string(from));
    testing::TestTerminal t;
    t.Close();
    std::filesystem::remove(t.options.database_path);
    {
      auto db = ledger::Database::Open({t.options.database_path, true, 1000});
      ASSERT_TRUE(db.ok());
      if (from > 0) {
      ASSERT_TRUE(ledger::Migrate(**db, from).ok());
    }
      EXPECT_EQ((*db)->UserVersion(), from);
    }
    t.Reopen();
    ASSERT_NE(t.terminal, nullptr);
    ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1500}), 0}).ok());
    EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 15);
    EXPECT_TRUE(t->Verify()->ok);
    t.Close();
    auto db = ledger::Database::Open({t.options.database_path, true, 1000});
    EXPECT_EQ((*db)->UserVersion(), ledger::LatestSchemaVersion());
  }
}

// Schema 11 gives each account its open lots' sums and the window they
// hold in, computed from the lots already there.
TEST(MigrationTest, CachedLotSumsAreFilledFromExistingLots) {
  testing::TestTerminal t(testing::DefaultProgramJson(R"("points": {"pending_days": 14})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1500}), 0}).ok());
  t.clock.AdvanceDays(5);
  ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), Eur({2000}), 0}).ok());
  const std::int64_t first_maturity = t.clock.Now().time_since_epoch().count() +
                                      9 * std::int64_t{86'400'000};
  t.clock.AdvanceDays(1);
  t.Close();
  {
    // The ledger as schema 10 left it.
    auto db = ledger::Database::Open({t.options.database_path, true, 1000});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("ALTER TABLE accounts DROP COLUMN lots_usable; "
                            "ALTER TABLE accounts DROP COLUMN lots_pending; "
                            "ALTER TABLE accounts DROP COLUMN lots_from; "
                            "ALTER TABLE accounts DROP COLUMN lots_until; "
                            "DROP TABLE reward_lines; "
                            "DROP TABLE seals; DELETE FROM meta WHERE key = 'seals'; "
                            "PRAGMA user_version=10")
                    .ok());
  }
  t.Reopen();
  ASSERT_NE(t.terminal, nullptr);
  auto balance = t->Balance(Card("LC0001"));
  ASSERT_TRUE(balance.ok());
  EXPECT_EQ(balance->available, 0);
  EXPECT_EQ(balance->pending, 35);
  EXPECT_TRUE(t->Verify()->ok);
  t.Close();
  auto db = ledger::Database::Open({t.options.database_path, true, 1000});
  auto row = (*db)->Prepare("SELECT lots_usable, lots_pending, lots_from, lots_until "
                            "FROM accounts");
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(*row->Step());
  EXPECT_EQ(row->Int(0), 0);
  EXPECT_EQ(row->Int(1), 35);
  EXPECT_EQ(row->Int(2), INT64_MIN);
  EXPECT_EQ(row->Int(3), first_maturity);
}

TEST(MigrationTest, ANewerLedgerIsRefusedNotDowngraded) {
  testing::TestTerminal t;
  t.Close();
  {
    auto db = ledger::Database::Open({t.options.database_path, true, 1000});
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=99").ok());
  }
  auto opened = Terminal::Open(t.options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDatabaseCorrupt);
  EXPECT_NE(opened.status().message().find("newer"), std::string::npos);
}

TEST(MigrationTest, AFileThatIsNotALedgerIsRefused) {
  ScratchDir dir;
  testing::TestTerminal t;
  t.Close();
  // Some other application's database.
  std::filesystem::remove(t.options.database_path);
  {
    auto db = ledger::Database::Open({t.options.database_path, true, 1000});
    ASSERT_TRUE((*db)->Exec("CREATE TABLE customers(id INTEGER)").ok());
  }
  auto opened = Terminal::Open(t.options);
  EXPECT_EQ(opened.status().code(), StatusCode::kDatabaseCorrupt);
  // A file of garbage.
  testing::WriteFile(t.options.database_path, std::string(8192, 'x'));
  std::filesystem::remove(t.options.database_path + "-wal");
  opened = Terminal::Open(t.options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDatabaseCorrupt) << opened.status().ToString();
}

}  // namespace
}  // namespace loyalty
