// What the sync tests share: a reference server over real TLS on
// 127.0.0.1 with a test-made CA, and tills (Terminal + Sync) that talk to it.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "central_server.hpp"
#include "support/test_env.hpp"
#include "support/test_pki.hpp"
#include "test_store.hpp"

namespace loyalty::testing {

inline const std::string kCardKey = "chain-wide card key, 32 bytes at least!";

inline std::int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs SQL on a closed ledger file, as someone with a copy of it would:
// "" when it worked, SQLite's message otherwise.
inline std::string ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) error = "cannot open " + path;
  char* message = nullptr;
  if (error.empty() && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error = message ? message : "error";
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

// A till of the chain: its own ledger and key, the chain's card key, a
// clock that starts at the real time (the server checks timestamps).
struct Till {
  explicit Till(const std::string& till_id) : id(till_id) {
    t.options.terminal_id = id;
    t.options.terminal_key = "terminal key of " + id + ", 32 bytes or more";
    t.options.card_key = kCardKey;
    t.clock.SetMs(WallMs());
    // A new ledger under this till's own key.
    t.Close();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(t.options.database_path + suffix);
    }
    t.Reopen();
  }
  std::string id;
  TestTerminal t;
  std::unique_ptr<Sync> sync;
  Terminal* operator->() { return t.terminal.get(); }
  Points Available(const std::string& card) {
    auto b = t->Balance(Card(card));
    EXPECT_TRUE(b.ok()) << id << ": " << b.status().ToString();
    return b.ok() ? b->available : -1;
  }
};

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto receipt = server::NewEd25519KeyPair();
    auto program = server::NewEd25519KeyPair();
    ASSERT_TRUE(receipt.ok() && program.ok());
    receipt_keys_ = *receipt;
    program_keys_ = *program;
    server_tls_ = ca_.Server();
    StartServer();
  }

  void StartServer(const std::string& client_ca = "", int port = 0) {
    server::ServerOptions o;
    o.db_path = server_db_;
    o.cert_pem = server_tls_.cert_pem;
    o.key_pem = server_tls_.key_pem;
    o.client_ca_pem = client_ca;
    o.receipt_key_pem = receipt_keys_.first;
    o.port = port;
    o.keep_alive_s = 1;  // a stop waits for idle connections to close
    auto started = server::CentralServer::Start(o);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(*started);
  }

  // Options for a till's Sync, quick to retry so tests stay short.
  SyncOptions OptionsFor(int port) const {
    SyncOptions o;
    o.server_url = "https://127.0.0.1:" + std::to_string(port);
    o.ca_pem = ca_.cert_pem();
    o.receipt_public_key_pem = receipt_keys_.second;
    o.program_public_key_pem = program_keys_.second;
    o.connect_timeout = std::chrono::milliseconds(3000);
    o.request_timeout = std::chrono::milliseconds(10'000);
    o.backoff_base = std::chrono::milliseconds(10);
    o.backoff_cap = std::chrono::milliseconds(40);
    o.max_batch_age = std::chrono::milliseconds(0);
    o.poll_interval = std::chrono::milliseconds(50);
    return o;
  }

  // A till registered at the server with a Sync attached.
  std::unique_ptr<Till> NewTill(const std::string& id, SyncOptions* options = nullptr) {
    auto till = std::make_unique<Till>(id);
    EXPECT_TRUE(server_->store().AddTerminal(id, till->t.options.terminal_key).ok());
    Attach(*till, options ? *options : OptionsFor(server_->port()));
    return till;
  }

  void Attach(Till& till, const SyncOptions& options) {
    auto sync = Sync::Create(*till.t.terminal, options);
    ASSERT_TRUE(sync.ok()) << sync.status().ToString();
    till.sync = std::move(*sync);
  }

  Points ServerPoints(Till& till, const std::string& card) {
    auto b = till->Balance(Card(card));
    if (!b.ok()) return -1;
    auto s = server_->store().Balance(b->account_id);
    return s.ok() && *s ? (*s)->points : -1;
  }

  TestCa ca_;
  KeyAndCert server_tls_;
  std::pair<std::string, std::string> receipt_keys_;  // private, public PEM
  std::pair<std::string, std::string> program_keys_;
  ScratchDir server_dir_;
  // The server's store: a SQLite file in server_dir_, or a fresh PostgreSQL
  // database under with_postgres.sh (tests/server/test_store.hpp).
  std::string server_db_ = FreshStore(server_dir_.File("central.db"));
  std::unique_ptr<server::CentralServer> server_;
};

}  // namespace loyalty::testing
