// The chain as a ledger that has synced keeps it: sync's implementation of
// the Terminal's terminal::Chain over the sync tables (the hotlist, the
// server's snapshots, the offline policy, the programs accepted). The
// Terminal holds it for its life once the ledger has synced, with or
// without a live Sync, so a till restarted offline still refuses
// hotlisted cards, shows the server's share of balances and caps offline
// redemptions.
#pragma once

#include <memory>
#include <optional>

#include "sync/offline_policy.hpp"
#include "sync/snapshots.hpp"
#include "sync/sync_state.hpp"
#include "terminal/chain.hpp"

namespace loyalty::sync {

struct LocalChain final : terminal::Chain {
  // Creates or migrates the sync tables and prepares the readers.
  static Result<std::unique_ptr<LocalChain>> Open(ledger::Ledger& ledger);

  Result<bool> CardHotlisted(const std::string& card_hash) override;
  Result<Points> RemotePoints(const std::string& account_id) override;
  Result<std::int64_t> RemoteStoredValue(const std::string& account_id,
                                         const std::string& ref) override;
  Status CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                std::int64_t day_start_ms) override;
  Result<std::optional<terminal::AcceptedProgram>> NewestProgram() override;

  std::unique_ptr<SyncState> state;
  std::unique_ptr<Snapshots> snapshots;
  std::unique_ptr<OfflinePolicy> policy;
};

// A program record as the Terminal knows an accepted version.
terminal::AcceptedProgram Accepted(const ProgramRecord& record);

}  // namespace loyalty::sync
