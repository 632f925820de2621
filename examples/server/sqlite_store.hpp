// CentralStore on one SQLite file (WAL, synchronous=FULL). Admin commands
// and the running server share the file: SQLite's own locks serialise them.
// Thread-safe: calls are serialised on one connection.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "ledger/database.hpp"
#include "store.hpp"

namespace loyalty::server {

class SqliteStore final : public CentralStore {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

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

 private:
  explicit SqliteStore(std::unique_ptr<ledger::Database> db) : db_(std::move(db)) {}
  Result<std::int64_t> NoteChange(const std::string& kind, const std::string& key);
  Result<std::int64_t> Scalar(const std::string& sql, const std::string& arg = {});
  // Coupons issued and used by a batch's operations (inside ApplyBatch).
  Status ApplyCoupons(const PushBatch& batch);

  std::mutex mutex_;
  std::unique_ptr<ledger::Database> db_;
};

}  // namespace loyalty::server
