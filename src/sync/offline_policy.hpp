// The Terminal's offline rules, as the sync module knows them: the hotlist,
// the balance as the server's snapshot plus unsynced entries, and the cap on
// redemptions per card per day while the till has not synced for too long
// (docs/sync-protocol.md §4.3, §5).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "sync/snapshots.hpp"
#include "sync/sync_state.hpp"
#include "sync/terminal_hooks.hpp"

namespace loyalty::sync {

class OfflinePolicy final : public TerminalHooks {
 public:
  // `snapshots` and `state` are used under the Terminal's lock only.
  OfflinePolicy(Snapshots& snapshots, SyncState& state,
                std::chrono::milliseconds default_offline_after)
      : snapshots_(snapshots), state_(state), default_offline_after_(default_offline_after) {}

  // The Sync's setting, until the server's policy says otherwise.
  void SetDefaultOfflineAfter(std::chrono::milliseconds after) { default_offline_after_ = after; }

  Result<bool> CardHotlisted(const std::string& card_hash) override;
  Result<Points> RemotePoints(const std::string& account_id) override;
  Result<std::int64_t> RemoteStoredValue(const std::string& account_id,
                                         const std::string& ref) override;
  Status CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                std::int64_t day_start_ms) override;

 private:
  Snapshots& snapshots_;
  SyncState& state_;
  std::chrono::milliseconds default_offline_after_;
};

// What a ledger that has synced keeps knowing without a live Sync: the
// Terminal opens it with the ledger and keeps it for its life, so a till
// restarted offline still refuses hotlisted cards, shows the server's share
// of balances and caps offline redemptions.
struct LocalSync {
  // Creates or migrates the sync tables and prepares the readers.
  static Result<std::unique_ptr<LocalSync>> Open(ledger::Ledger& ledger);
  std::unique_ptr<SyncState> state;
  std::unique_ptr<Snapshots> snapshots;
  std::unique_ptr<OfflinePolicy> policy;
};

}  // namespace loyalty::sync
