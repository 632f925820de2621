// Tampering with the program: a file swapped on disk after the server's
// version was accepted, and a terminal that pins the chain's program key
// and so loads only signed files (docs/security.md, "Tampering").
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "sync/wire.hpp"
#include "sync_support.hpp"
#include "trust/codec.hpp"
#include "trust/program_message.hpp"

namespace loyalty::testing {
namespace {

// The default program at another version, earning `points` per euro.
std::string ProgramAt(int version, int points) {
  std::string p = DefaultProgramJson();
  p.replace(p.find("\"version\": 1"), std::string("\"version\": 1").size(),
            "\"version\": " + std::to_string(version));
  p.replace(p.find("\"points\": 1,"), std::string("\"points\": 1,").size(),
            "\"points\": " + std::to_string(points) + ",");
  return p;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  LogFn Fn() {
    return [this](LogLevel, std::string_view line) {
      std::lock_guard<std::mutex> guard(mutex);
      lines.emplace_back(line);
    };
  }
  bool Has(const std::string& a, const std::string& b) {
    std::lock_guard<std::mutex> guard(mutex);
    for (const auto& line : lines) {
      if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return true;
    }
    return false;
  }
};

class ProgramTrustTest : public SyncTest {
 protected:
  // Publishes a version signed with `signing_key` (private PEM).
  void Publish(int version, int points, const std::string& signing_key) {
    const std::string document = ProgramAt(version, points);
    auto signature = server::SignEd25519(signing_key, trust::ProgramMessage(document));
    ASSERT_TRUE(signature.ok());
    ASSERT_TRUE(server_->store().AddProgram(version, document, *signature).ok());
  }
  // Writes "<path>.sig" as loyalty-server sign-program does.
  void SignFile(const std::string& path, const std::string& signing_key) {
    std::ifstream in(path, std::ios::binary);
    const std::string document((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    auto signature = server::SignEd25519(signing_key, trust::ProgramMessage(document));
    ASSERT_TRUE(signature.ok());
    Write(path + ".sig", trust::ToBase64(*signature) + "\n");
  }
};

TEST_F(ProgramTrustTest, AnAcceptedProgramFileSwappedOnDiskIsRefusedAndNamed) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Publish(3, 3, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  ASSERT_EQ((*till)->program().version, 3);
  const std::string path = till->sync->program_path();
  ASSERT_TRUE(std::filesystem::exists(path + ".sig")) << "the server's signature is kept";

  // Someone with the till's disk gives version 3 ten points per euro.
  till->sync.reset();
  till->t.Close();
  Write(path, ProgramAt(3, 10));
  LogLines log;
  till->t.options.log = log.Fn();
  till->t.Reopen();
  ASSERT_NE(till->t.terminal, nullptr) << "the till still trades";
  EXPECT_EQ((*till)->program().version, 1) << "the program file given to Open is in force";
  EXPECT_TRUE(log.Has(path, "changed or replaced after it was accepted"));
  auto sale = (*till)->Commit({"s1", Card("LC0001"), Eur({1000}), 0});
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->earned, 10) << "not the forged 100";

  auto report = (*till)->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_NE(report->problem.find(path), std::string::npos) << report->problem;
  EXPECT_NE(report->problem.find("not version 3 as the server signed it"), std::string::npos)
      << report->problem;

  // A live Sync does not put it back in force either; the next genuine
  // version does, and then the ledger verifies again.
  Attach(*till, OptionsFor(server_->port()));
  EXPECT_EQ((*till)->program().version, 1);
  Publish(4, 2, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ((*till)->program().version, 4);
  EXPECT_TRUE((*till)->Verify()->ok);
}

TEST_F(ProgramTrustTest, AnAcceptedProgramFileSwappedForAnotherSignedDocumentIsRefused) {
  // Even a document with a valid-looking signature beside it: the seal
  // binds the version to the bytes that arrived.
  auto till = NewTill("T1");
  Publish(3, 3, program_keys_.first);
  Publish(5, 1, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  ASSERT_EQ((*till)->program().version, 5);
  const std::string v5 = till->sync->program_path();
  till->sync.reset();
  till->t.Close();
  // Version 5's file replaced by a copy of a re-signed older document.
  Write(v5, ProgramAt(5, 3));
  SignFile(v5, program_keys_.first);
  till->t.Reopen();
  EXPECT_EQ((*till)->program().version, 1);
  EXPECT_FALSE((*till)->Verify()->ok);
}

TEST_F(ProgramTrustTest, AVersionAcceptedBeforeSealsExistedStillLoadsAfterTheUpgrade) {
  auto till = NewTill("T1");
  Publish(3, 3, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  till->sync.reset();
  till->t.Close();
  // The ledger as sync schema 1 left it: no seal column.
  ASSERT_EQ(ExecSql(till->t.options.database_path,
                    "ALTER TABLE sync_programs DROP COLUMN seal; DROP TABLE sync_stored_value;"
                    "UPDATE meta SET value = CAST('1' AS BLOB) WHERE key = 'sync_schema';"),
            "");
  till->t.Reopen();
  EXPECT_EQ((*till)->program().version, 3);
  EXPECT_TRUE((*till)->Verify()->ok);
  // The next version received is sealed.
  Attach(*till, OptionsFor(server_->port()));
  Publish(4, 2, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  const std::string v4 = till->sync->program_path();
  till->sync.reset();
  till->t.Close();
  Write(v4, ProgramAt(4, 10));
  till->t.Reopen();
  EXPECT_EQ((*till)->program().version, 1);
}

TEST_F(ProgramTrustTest, ATerminalThatPinsTheProgramKeyLoadsOnlySignedFiles) {
  TestTerminal t;
  const std::string program = t.options.program_path;
  t.Close();
  t.options.program_public_key_pem = program_keys_.second;

  auto unsigned_open = Terminal::Open(t.options);
  ASSERT_FALSE(unsigned_open.ok());
  EXPECT_EQ(unsigned_open.status().code(), StatusCode::kTampered);
  EXPECT_NE(unsigned_open.status().message().find(program + "' is not signed"), std::string::npos)
      << unsigned_open.status().message();

  auto intruder = server::NewEd25519KeyPair();
  ASSERT_TRUE(intruder.ok());
  SignFile(program, intruder->first);
  auto forged = Terminal::Open(t.options);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().code(), StatusCode::kTampered);
  EXPECT_NE(forged.status().message().find("not signed by the chain's program key"),
            std::string::npos)
      << forged.status().message();

  Write(program + ".sig", "this is not base64!\n");
  auto garbage = Terminal::Open(t.options);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("base64 Ed25519 signature"), std::string::npos)
      << garbage.status().message();

  auto bad_key = t.options;
  bad_key.program_public_key_pem = "-----BEGIN PUBLIC KEY-----\nnot a key\n";
  auto refused = Terminal::Open(bad_key);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("program_public_key_pem"), std::string::npos);

  SignFile(program, program_keys_.first);
  t.Reopen();
  ASSERT_NE(t.terminal, nullptr);
  EXPECT_EQ(t->program().version, 1);
  EXPECT_TRUE(t->Verify()->ok);

  // The file is edited while the till runs: Verify names it, and loading
  // it is refused with version 1 still in force.
  Write(program, ProgramAt(1, 10));
  auto report = t->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_NE(report->problem.find(program), std::string::npos) << report->problem;
  Status load = t->LoadProgram(program);
  EXPECT_EQ(load.code(), StatusCode::kTampered) << load.ToString();
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_EQ(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0})->earned, 10);

  // A newer version signed by the chain loads.
  const std::string v2 = t.dir.File("program-v2.json");
  Write(v2, ProgramAt(2, 2));
  SignFile(v2, program_keys_.first);
  ASSERT_TRUE(t->LoadProgram(v2).ok());
  EXPECT_EQ(t->program().version, 2);
}

TEST_F(ProgramTrustTest, ProgramsFromTheServerLoadOnATerminalThatPinsTheKey) {
  auto till = NewTill("T1");
  const std::string program = till->t.options.program_path;
  SignFile(program, program_keys_.first);
  till->sync.reset();
  till->t.options.program_public_key_pem = program_keys_.second;
  till->t.Reopen();
  Attach(*till, OptionsFor(server_->port()));
  Publish(3, 3, program_keys_.first);
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ((*till)->program().version, 3);
  till->sync.reset();
  till->t.Reopen();
  EXPECT_EQ((*till)->program().version, 3) << "its .sig was written beside it";
  EXPECT_TRUE((*till)->Verify()->ok);
}

}  // namespace
}  // namespace loyalty::testing
