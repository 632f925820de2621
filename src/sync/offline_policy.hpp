// The Terminal's offline rules, as the sync module knows them: the hotlist,
// the balance as the server's snapshot plus unsynced entries, and the cap on
// redemptions per card per day while the till has not synced for too long
// (docs/sync-protocol.md §4.3, §5). The Terminal asks them through
// sync::LocalChain (sync/local_chain.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "loyalty/money.hpp"
#include "loyalty/status.hpp"
#include "sync/snapshots.hpp"
#include "sync/sync_state.hpp"

namespace loyalty::sync {

class OfflinePolicy {
 public:
  // `snapshots` and `state` are used under the Terminal's lock only.
  OfflinePolicy(Snapshots& snapshots, SyncState& state,
                std::chrono::milliseconds default_offline_after)
      : snapshots_(snapshots), state_(state), default_offline_after_(default_offline_after) {}

  // The Sync's setting, until the server's policy says otherwise.
  void SetDefaultOfflineAfter(std::chrono::milliseconds after) { default_offline_after_ = after; }

  Result<bool> CardHotlisted(const std::string& card_hash);
  Result<Points> RemotePoints(const std::string& account_id);
  Result<std::int64_t> RemoteStoredValue(const std::string& account_id,
                                         const std::string& ref);
  Status CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                std::int64_t day_start_ms);

 private:
  Snapshots& snapshots_;
  SyncState& state_;
  std::chrono::milliseconds default_offline_after_;
};

}  // namespace loyalty::sync
