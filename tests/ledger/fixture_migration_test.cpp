// Ledgers written by the library as it was at each earlier schema version
// (tests/ledger/fixtures/: made by make.sh from the old code, kept as SQL
// dumps) open with today's library, migrate, verify, show the balances the
// old code showed, and trade on.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ledger/database.hpp"
#include "ledger/schema.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

struct Figures {
  Points balance = 0;
  Points available = 0;
  Points pending = 0;
};

struct Expected {
  std::int64_t now_ms = 0;
  std::map<std::string, Figures> cards;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "now <ms>" then "card <number> balance <b> available <a> pending <p>".
Expected ReadExpected(const std::string& path) {
  Expected e;
  std::istringstream in(Slurp(path));
  std::string word;
  while (in >> word) {
    if (word == "now") {
      in >> e.now_ms;
    } else if (word == "card") {
      std::string number;
      std::string b;
      std::string a;
      std::string p;
      Figures f;
      in >> number >> b >> f.balance >> a >> f.available >> p >> f.pending;
      e.cards[number] = f;
    }
  }
  return e;
}

std::string FixturePath(std::int64_t version, const char* ext) {
  char name[32];
  std::snprintf(name, sizeof name, "schema-%02lld.%s", static_cast<long long>(version), ext);
  return std::string(LOYALTY_FIXTURES_DIR) + "/" + name;
}

TEST(FixtureMigrationTest, LedgersOfEarlierVersionsMigrateWithTheirBalances) {
  // The ledger the last released schema wrote must be there; others
  // are tested when make.sh has written them (schema 1 alone was never
  // released without 2).
  constexpr std::int64_t kLastReleased = 11;  // before returns' reward_lines
  ASSERT_TRUE(std::filesystem::exists(FixturePath(kLastReleased, "sql")))
      << "tests/ledger/fixtures/make.sh " << kLastReleased;
  int tested = 0;
  for (std::int64_t version = 2; version < ledger::LatestSchemaVersion(); ++version) {
    if (!std::filesystem::exists(FixturePath(version, "sql"))) {
      std::cout << "no ledger fixture for schema " << version
                << " (tests/ledger/fixtures/make.sh " << version << ")\n";
      continue;
    }
    ++tested;
    SCOPED_TRACE("ledger written at schema " + std::to_string(version));
    const std::string dump = Slurp(FixturePath(version, "sql"));
    const Expected expected = ReadExpected(FixturePath(version, "expect"));
    ASSERT_FALSE(dump.empty());
    ASSERT_EQ(expected.cards.size(), 3u);

    testing::ScratchDir dir;
    const std::string path = dir.File("ledger.db");
    {
      sqlite3* raw = nullptr;
      ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
      char* error = nullptr;
      const std::string script =
          dump + "\nPRAGMA user_version=" + std::to_string(version) + ";";
      const int rc = sqlite3_exec(raw, script.c_str(), nullptr, nullptr, &error);
      const std::string message = error ? error : "";
      sqlite3_free(error);
      sqlite3_close(raw);
      ASSERT_EQ(rc, SQLITE_OK) << message;
    }
    testing::FakeClock clock(expected.now_ms);
    Options options;
    options.database_path = path;
    options.terminal_id = "till-fixture";
    options.terminal_key = testing::kTestKey;
    options.program_path = std::string(LOYALTY_FIXTURES_DIR) + "/program.json";
    options.clock = &clock;
    auto opened = Terminal::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Terminal& t = **opened;
    auto verified = t.Verify();
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok) << verified->problem;
    for (const auto& [number, figures] : expected.cards) {
      SCOPED_TRACE("card " + number);
      auto view = t.Lookup(testing::Card(number));
      ASSERT_TRUE(view.ok()) << view.status().ToString();
      EXPECT_EQ(view->balance, figures.balance);
      EXPECT_EQ(view->available, figures.available);
      EXPECT_EQ(view->pending, figures.pending);
      auto fast = t.Balance(testing::Card(number));
      ASSERT_TRUE(fast.ok());
      EXPECT_EQ(fast->balance, figures.balance);
      EXPECT_EQ(fast->available, figures.available);
    }
    // The migrated ledger trades on: a sale, a return of one of its lines,
    // a refund of an old sale's rest, an expiry run; all verified.
    const CardId ada = testing::Card("LC0001");
    Basket basket{"EUR", {{"N1", "grocery", 1, 2000, false}, {"N2", "grocery", 1, 1000, false}}};
    auto sale = t.Commit({"new-s1", ada, basket, 0});
    ASSERT_TRUE(sale.ok()) << sale.status().ToString();
    EXPECT_EQ(sale->earned, 30);
    auto back = t.Refund({"new-f1", "new-s1", std::nullopt, {{1, 1}}});
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->earned, -10);
    EXPECT_EQ(t.Refund({"new-f2", "s2", std::nullopt}).status().code(),
              StatusCode::kAlreadyReversed);
    clock.AdvanceDays(60);
    ASSERT_TRUE(t.ExpirePoints("new-x1").ok());
    verified = t.Verify();
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok) << verified->problem;
    opened->reset();
    auto db = ledger::Database::Open({path, true, 1000});
    ASSERT_TRUE(db.ok());
    EXPECT_EQ((*db)->UserVersion(), ledger::LatestSchemaVersion());
  }
  EXPECT_GE(tested, 1);
}

}  // namespace
}  // namespace loyalty
