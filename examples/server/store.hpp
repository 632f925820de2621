// The reference server's storage, behind one interface (docs/sync-protocol.md
// §7): SqliteStore implements it on one SQLite file (a store, the demo),
// PostgresStore on a PostgreSQL database that several server processes
// share (a chain). OpenStore (open_store.hpp) picks one from a connection
// string. Every call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/chain.hpp"
#include "ledger/entry.hpp"
#include "loyalty/status.hpp"

namespace loyalty::server {

struct TerminalRecord {
  std::string terminal_id;
  std::string key;  // the terminal key: signs requests, chains entries
  bool revoked = false;
};

struct CardInfo {
  std::string card_hash;  // raw 32 bytes
  std::string masked;
  bool blocked = false;
  std::int64_t enrolled_at = 0;
};

struct AccountInfo {
  std::string account_id;
  std::string name;
  std::vector<CardInfo> cards;
};

struct GiftCardInfo {
  std::string account_id;
  std::string card_hash;  // raw 32 bytes
  std::string masked;
};

struct CouponInfo {
  std::string code;
  std::string coupon_id;
  std::string account_id;  // "": anyone
  std::optional<std::int64_t> uses;
  std::optional<std::int64_t> expires_at;
};

struct CouponUseInfo {
  std::string code;
  std::string op_id;
  std::string account_id;
  bool reversed = false;
};

// A push body, read and checked for shape (§3.2).
struct PushBatch {
  std::string terminal_id;
  std::string batch_id;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string prev_mac;     // raw
  std::string fingerprint;  // raw SHA-256 (§3.2)
  std::vector<ledger::EntryRecord> entries;
  std::vector<AccountInfo> accounts;
  std::vector<GiftCardInfo> gift_cards;
  std::vector<CouponInfo> coupons;
  std::vector<CouponUseInfo> coupon_uses;
};

// What one push did to the entries it carried (the server's metrics).
struct PushTally {
  std::int64_t applied = 0;    // stored and counted
  std::int64_t flagged = 0;    // stored and counted, flagged (balance_negative, ...)
  std::int64_t rejected = 0;   // stored, not counted (bad_mac, unknown_account)
  std::int64_t duplicates = 0; // held already
  bool replayed = false;       // the batch was applied before: its stored answer
};

// An HTTP status and its JSON body, as the server answers.
struct Answer {
  int status = 200;
  std::string body;
  PushTally tally;
};

// A refusal as the protocol words it (§5): {"error": code, "reason": ...}.
inline Answer ErrorAnswer(int status, const std::string& code, const std::string& reason,
                          nlohmann::json extra = nlohmann::json::object()) {
  extra["error"] = code;
  extra["reason"] = reason;
  return {status, extra.dump(), {}};
}

// Signs receipts with the server's Ed25519 key (§3.5).
class ReceiptSigner {
 public:
  virtual ~ReceiptSigner() = default;
  virtual std::string Sign(const std::string& message) const = 0;  // raw 64 bytes
};

struct AccountBalance {
  std::string account_id;
  std::string name;
  std::int64_t points = 0;
  std::int64_t version = 0;
};

// A terminal as the operator watches it.
struct TerminalState {
  std::string terminal_id;
  std::int64_t head_seq = 0;                  // the newest entry stored
  std::optional<std::int64_t> head_at;        // its time at the till (Unix ms)
  std::optional<std::int64_t> last_push_at;   // when a push last moved the head
};

class CentralStore {
 public:
  virtual ~CentralStore() = default;

  virtual Status AddTerminal(const std::string& terminal_id, const std::string& key) = 0;
  virtual Result<std::optional<TerminalRecord>> FindTerminal(const std::string& terminal_id) = 0;
  virtual Status RevokeTerminal(const std::string& terminal_id) = 0;
  // False when this terminal used the nonce before `expires_at` of its
  // first use; remembers it until `expires_at` otherwise.
  virtual Result<bool> RememberNonce(const std::string& terminal_id, const std::string& nonce,
                                     std::int64_t now_ms, std::int64_t expires_at_ms) = 0;

  // Steps 2-5 of §3.4 in one transaction: batch dedup, gap, per-entry
  // results, balances, money, coupons, the signed receipt, the stored answer.
  virtual Result<Answer> ApplyBatch(const PushBatch& batch, const ledger::Chain& chain,
                                    const ReceiptSigner& signer, std::int64_t now_ms) = 0;
  // One page of changes after `cursor` for `terminal_id` (§4).
  virtual Result<nlohmann::json> Changes(const std::string& terminal_id, std::int64_t cursor,
                                         int limit, std::int64_t now_ms) = 0;

  virtual Status AddProgram(std::int64_t version, const std::string& document,
                            const std::string& signature) = 0;
  virtual Status SetHotlist(const std::string& card_hash, const std::string& state) = 0;
  virtual Status SetPolicy(std::optional<std::int64_t> offline_after_ms,
                           std::optional<std::int64_t> redeem_cap) = 0;
  virtual Result<std::optional<AccountBalance>> Balance(const std::string& account_id) = 0;
  // Entries stored for a terminal, and how often each batch was applied:
  // what an operator (and a test) checks after a storm.
  virtual Result<std::int64_t> StoredEntries(const std::string& terminal_id) = 0;
  virtual Result<std::int64_t> SumOfBalances() = 0;
  // Money the server holds on an account under `ref` ("gift", "wallet").
  virtual Result<std::int64_t> StoredValue(const std::string& account_id,
                                           const std::string& ref) = 0;

  // Accounts whose balance differs from the sum of their counted entries
  // (not rejected, not enrolments), computed afresh in SQL: 0 when sound.
  virtual Result<std::int64_t> BalancesDisagreeing() = 0;
  virtual Result<std::int64_t> TotalEntries() = 0;
  virtual Result<std::vector<TerminalState>> Terminals() = 0;
  // The database answers (the health endpoint).
  virtual Status Ping() = 0;
};

}  // namespace loyalty::server
