// CentralStore on PostgreSQL, shared by any number of server processes.
// What keeps the data right is the database, not this process: every push
// is one transaction that locks its terminal's head row first (one batch of
// a terminal at a time, all terminals at once), then the accounts it moves
// in account order; deadlocks and serialization failures are retried. The
// schema is in sql/postgresql/*.sql, applied at Open (migrations.cpp).
// Thread-safe: each call leases a connection of its own from a pool.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "pg_connection.hpp"
#include "store.hpp"

namespace loyalty::server {

// Connections one process keeps (OpenStore's "pool_size=N").
inline constexpr int kDefaultPoolSize = 8;
inline constexpr int kMaxPoolSize = 256;

class PostgresStore final : public CentralStore {
 public:
  // `conninfo`: a libpq connection URI or key=value string, e.g.
  // "postgresql:///loyalty?host=/run/postgresql". Applies the migrations
  // this database lacks. `connections`: the pool's size.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& conninfo,
                                                     int connections = kDefaultPoolSize);

  Status AddTerminal(const std::string& terminal_id, const std::string& key) override;
  Result<std::optional<TerminalRecord>> FindTerminal(const std::string& terminal_id) override;
  Status RevokeTerminal(const std::string& terminal_id) override;
  Result<bool> RememberNonce(const std::string& terminal_id, const std::string& nonce,
                             std::int64_t now_ms, std::int64_t expires_at_ms) override;
  Result<Answer> ApplyBatch(const PushBatch& batch, const ledger::Chain& chain,
                            const ReceiptSigner& signer, std::int64_t now_ms) override;
  Result<nlohmann::json> Changes(const std::string& terminal_id, std::int64_t cursor, int limit,
                                 std::int64_t now_ms) override;
  Status AddProgram(std::int64_t version, const std::string& document,
                    const std::string& signature) override;
  Status SetHotlist(const std::string& card_hash, const std::string& state) override;
  Status SetPolicy(std::optional<std::int64_t> offline_after_ms,
                   std::optional<std::int64_t> redeem_cap) override;
  Result<std::optional<AccountBalance>> Balance(const std::string& account_id) override;
  Result<std::int64_t> StoredEntries(const std::string& terminal_id) override;
  Result<std::int64_t> SumOfBalances() override;
  Result<std::int64_t> StoredValue(const std::string& account_id,
                                   const std::string& ref) override;
  Result<std::int64_t> BalancesDisagreeing() override;
  Result<std::int64_t> TotalEntries() override;
  Result<std::vector<TerminalState>> Terminals() override;
  Status Ping() override;

  // Connections this process opens at most.
  int pool_size() const { return pool_.size(); }
  // Transactions run again after a deadlock or serialization failure.
  std::int64_t retries() const { return retries_.load(); }

 private:
  explicit PostgresStore(std::string conninfo, int connections)
      : pool_(std::move(conninfo), connections) {}
  // Runs `fn(connection)` in a fresh transaction until it does not fail
  // with 40001/40P01 (a few times at most).
  template <typename T, typename Fn>
  Result<T> Retrying(Fn fn);
  Result<Answer> ApplyOnce(pg::Connection& c, const PushBatch& batch, const ledger::Chain& chain,
                           const ReceiptSigner& signer, std::int64_t now_ms);
  Result<nlohmann::json> ChangesOnce(pg::Connection& c, const std::string& terminal_id,
                                     std::int64_t cursor, int limit, std::int64_t now_ms);
  Result<std::int64_t> Scalar(const std::string& sql, const std::vector<pg::Param>& params = {});
  Status NoteChange(pg::Connection& c, const std::string& kind, const std::string& key);

  pg::Pool pool_;
  std::atomic<std::int64_t> retries_{0};
  std::atomic<std::int64_t> nonces_pruned_at_{0};
};

// Applies every sql/postgresql/*.sql file this database has not seen, in
// order, under an advisory lock (processes starting together wait).
Status MigratePostgres(pg::Connection& c);

}  // namespace loyalty::server
