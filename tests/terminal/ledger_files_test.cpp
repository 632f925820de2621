// The files around a ledger: a terminal key read from an owner-only file,
// a ledger on read-only media opened for lookups and verify without a
// file created beside it, and a wiped ledger that must not pass for a new
// one (docs/security.md, "Files").
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ledger/ledger.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

namespace fs = std::filesystem;
using testing::Card;
using testing::Eur;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file of a folder with its bytes: what a read-only open must leave
// exactly as it was.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    files[e.path().filename().string()] = Slurp(e.path().string());
  }
  return files;
}

class LedgerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
    ASSERT_TRUE(t_->Commit({"s1", Card("LC0001"), Eur({1250}), 0}).ok());
  }
  // Options that read the key from a file of this mode.
  Options WithKeyFile(mode_t mode) {
    const std::string path = testing::WriteFile(t_.dir.File("till.key"), testing::kTestKey);
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    Options o = t_.options;
    o.terminal_key.clear();
    o.terminal_key_file = path;
    return o;
  }
  testing::TestTerminal t_;
};

TEST_F(LedgerFilesTest, AnOwnerOnlyKeyFileOpensTheLedger) {
  t_.Close();
  for (mode_t mode : {0600, 0400}) {
    auto opened = Terminal::Open(WithKeyFile(mode));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ((*opened)->Lookup(Card("LC0001"))->balance, 12);
  }
}

TEST_F(LedgerFilesTest, AKeyFileGroupOrOthersMayReadOrWriteIsRefusedNamingItsMode) {
  t_.Close();
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644}) {
    Options o = WithKeyFile(mode);
    auto opened = Terminal::Open(o);
    ASSERT_FALSE(opened.ok()) << std::oct << mode;
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
    const std::string message = opened.status().message();
    EXPECT_NE(message.find("terminal_key_file"), std::string::npos) << message;
    EXPECT_NE(message.find(o.terminal_key_file), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("mode ") + text), std::string::npos) << message;
  }
}

TEST_F(LedgerFilesTest, AKeyFileThatIsNotAPlainOwnerOnlyFileIsRefused) {
  t_.Close();
  // A link to a file others may read: the file is judged, not the link.
  const std::string loose = testing::WriteFile(t_.dir.File("loose.key"), testing::kTestKey);
  ASSERT_EQ(::chmod(loose.c_str(), 0644), 0);
  Options o = t_.options;
  o.terminal_key.clear();
  o.terminal_key_file = t_.dir.File("link.key");
  fs::create_symlink(loose, o.terminal_key_file);
  auto linked = Terminal::Open(o);
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.status().message().find("mode 0644"), std::string::npos)
      << linked.status().message();
  o.terminal_key_file = t_.dir.path().string();
  auto folder = Terminal::Open(o);
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("not a regular file"), std::string::npos)
      << folder.status().message();
  o.terminal_key_file = testing::WriteFile(t_.dir.File("short.key"), "too short");
  ASSERT_EQ(::chmod(o.terminal_key_file.c_str(), 0600), 0);
  auto short_key = Terminal::Open(o);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.status().message().find("holds 9 bytes"), std::string::npos)
      << short_key.status().message();
  Options both = WithKeyFile(0600);
  both.terminal_key = testing::kTestKey;
  auto twice = Terminal::Open(both);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("not both"), std::string::npos);
}

TEST_F(LedgerFilesTest, ANewLedgerWithAWrongKeyFileLeavesNoFile) {
  t_.Close();
  testing::ScratchDir fresh;
  Options o = WithKeyFile(0644);
  o.database_path = fresh.File("new.db");
  EXPECT_FALSE(Terminal::Open(o).ok());
  EXPECT_TRUE(fs::is_empty(fresh.path())) << "nothing is written before the options are valid";
}

// What it proves: a read-only open creates, changes and removes no file in
// the ledger's folder, and writes are refused before SQLite is asked.
// The folder and file are made 0555 and 0444 as on read-only media; when
// the tests run as root those modes stop nothing, so the folder snapshot
// is what shows that nothing was written (not the kernel refusing it).
TEST_F(LedgerFilesTest, LookupsAndVerifyWorkOnReadOnlyMediaAndWriteNothing) {
  t_.Close();
  const fs::path dir = t_.dir.path() / "media";
  fs::create_directory(dir);
  const std::string db = (dir / "ledger.db").string();
  fs::copy_file(t_.options.database_path, db);
  ASSERT_FALSE(fs::exists(t_.options.database_path + "-wal")) << "closed cleanly";
  ASSERT_EQ(::chmod(db.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
  const auto before = Snapshot(dir);
  Options o = t_.options;
  o.database_path = db;
  o.read_only = true;
  {
    auto opened = Terminal::Open(o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Terminal& till = **opened;
    EXPECT_EQ(till.Lookup(Card("LC0001"))->balance, 12);
    EXPECT_EQ(till.Balance(Card("LC0001"))->balance, 12);
    EXPECT_EQ(till.History(Card("LC0001"))->size(), 2u);
    auto report = till.Verify();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok) << report->problem;
    EXPECT_EQ(report->entries_checked, 3);
    auto sale = till.Commit({"s2", Card("LC0001"), Eur({100}), 0});
    EXPECT_EQ(sale.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(sale.status().message().find("read_only"), std::string::npos);
    EXPECT_EQ(till.ExpirePoints("x1").status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(till.LoadProgram(o.program_path).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(till.RebuildBalances().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Snapshot(dir), before) << "while open";
  }
  EXPECT_EQ(Snapshot(dir), before) << "after close";
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
}

TEST_F(LedgerFilesTest, AReadOnlyOpenIsRefusedWhileATillWritesTheLedger) {
  Options o = t_.options;
  o.read_only = true;
  auto opened = Terminal::Open(o);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDatabaseLocked);
  t_.Close();
  EXPECT_TRUE(Terminal::Open(o).ok()) << "once it is closed";
}

TEST_F(LedgerFilesTest, AReadOnlyOpenOfAMissingLedgerCreatesNothing) {
  t_.Close();
  testing::ScratchDir empty;
  Options o = t_.options;
  o.database_path = empty.File("none.db");
  o.read_only = true;
  auto opened = Terminal::Open(o);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("none.db"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(empty.path()));
}

TEST_F(LedgerFilesTest, AWipedLedgerIsRefusedWhenItsKeyHasWrittenEntries) {
  t_.Close();
  // Truncated to 0 bytes, the key file still there.
  fs::resize_file(t_.options.database_path, 0);
  Options o = t_.options;
  o.ledger_must_exist = true;
  auto wiped = Terminal::Open(o);
  ASSERT_FALSE(wiped.ok());
  EXPECT_EQ(wiped.status().code(), StatusCode::kTampered);
  EXPECT_NE(wiped.status().message().find("empty (0 bytes)"), std::string::npos)
      << wiped.status().message();
  EXPECT_EQ(fs::file_size(t_.options.database_path), 0u) << "left as found";
  fs::remove(t_.options.database_path);
  auto missing = Terminal::Open(o);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing"), std::string::npos);
  EXPECT_FALSE(fs::exists(t_.options.database_path));
  // Without the option the same key starts a new ledger: what a till does
  // on its first day.
  t_.Reopen();
  ASSERT_NE(t_.terminal, nullptr);
  EXPECT_TRUE(t_->Verify()->ok);
  EXPECT_EQ(t_->Verify()->entries_checked, 1) << "the program entry only";
}

TEST_F(LedgerFilesTest, ALedgerWithoutEntriesIsRefusedWhenItMustExist) {
  t_.Close();
  // Schema and key check but not one entry: what a wiped ledger looks
  // like after a library without program entries opened it again.
  Options o = t_.options;
  o.database_path = t_.dir.File("bare.db");
  {
    ledger::LedgerOptions lo;
    lo.database.path = o.database_path;
    lo.terminal_key = o.terminal_key;
    ASSERT_TRUE(ledger::Ledger::Open(lo).ok());
  }
  o.ledger_must_exist = true;
  auto bare = Terminal::Open(o);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), StatusCode::kTampered);
  EXPECT_NE(bare.status().message().find("has no entries"), std::string::npos)
      << bare.status().message();
  o.database_path = t_.options.database_path;
  EXPECT_TRUE(Terminal::Open(o).ok()) << "a ledger with entries opens";
}

}  // namespace
}  // namespace loyalty
