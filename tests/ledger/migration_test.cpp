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
