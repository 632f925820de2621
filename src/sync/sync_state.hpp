// Small named values of the sync module (acked seq, pull cursor, clock
// offset, offline policy …) in the sync_state table. The caller holds the
// Terminal's lock; writes join the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/database.hpp"

namespace loyalty::sync {

// Keys, so a typo cannot create a second value.
inline constexpr const char* kAckedSeq = "acked_seq";
inline constexpr const char* kPullCursor = "pull_cursor";
inline constexpr const char* kLastSuccess = "last_success";
inline constexpr const char* kClockOffset = "clock_offset_ms";
inline constexpr const char* kHalted = "halted";
inline constexpr const char* kOfflineAfter = "policy_offline_after_ms";
inline constexpr const char* kRedeemCap = "policy_offline_redeem_cap";
inline constexpr const char* kProgramVersion = "program_version";

class SyncState {
 public:
  static Result<SyncState> Prepare(ledger::Database& db);

  Result<std::optional<std::int64_t>> Int(const char* key);
  Result<std::optional<std::string>> Text(const char* key);
  Status SetInt(const char* key, std::int64_t value);
  Status SetText(const char* key, const std::string& value);
  Status Erase(const char* key);

 private:
  SyncState() = default;
  ledger::Statement get_, put_, erase_;
};

}  // namespace loyalty::sync
