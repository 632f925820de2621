#include "sync/local_chain.hpp"

#include <chrono>

#include "sync/sync_schema.hpp"

namespace loyalty::sync {

Result<std::unique_ptr<LocalChain>> LocalChain::Open(ledger::Ledger& ledger) {
  if (Status s = MigrateSyncSchema(ledger.database()); !s.ok()) return s;
  auto local = std::make_unique<LocalChain>();
  auto state = SyncState::Prepare(ledger.database());
  if (!state.ok()) return state.status();
  local->state = std::make_unique<SyncState>(std::move(*state));
  auto snapshots = Snapshots::Prepare(ledger);
  if (!snapshots.ok()) return snapshots.status();
  local->snapshots = std::move(*snapshots);
  // The protocol's default (docs/sync-protocol.md §5) until a Sync or the
  // server's policy says otherwise.
  local->policy = std::make_unique<OfflinePolicy>(*local->snapshots, *local->state,
                                                  std::chrono::hours(1));
  return local;
}

Result<bool> LocalChain::CardHotlisted(const std::string& card_hash) {
  return policy->CardHotlisted(card_hash);
}

Result<Points> LocalChain::RemotePoints(const std::string& account_id) {
  return policy->RemotePoints(account_id);
}

Result<std::int64_t> LocalChain::RemoteStoredValue(const std::string& account_id,
                                                   const std::string& ref) {
  return policy->RemoteStoredValue(account_id, ref);
}

Status LocalChain::CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                          std::int64_t day_start_ms) {
  return policy->CheckOfflineRedemption(account_id, now_ms, day_start_ms);
}

Result<std::optional<terminal::AcceptedProgram>> LocalChain::NewestProgram() {
  auto newest = snapshots->NewestProgram("loaded");
  if (!newest.ok()) return newest.status();
  if (!*newest) return std::optional<terminal::AcceptedProgram>();
  return std::optional<terminal::AcceptedProgram>(Accepted(**newest));
}

terminal::AcceptedProgram Accepted(const ProgramRecord& record) {
  return {record.version, record.path, record.seal};
}

}  // namespace loyalty::sync

namespace loyalty::terminal {

// Declared by the terminal (terminal/chain.hpp), which cannot know the sync
// tables: whether the ledger has synced, and the chain it keeps if so.
Result<std::unique_ptr<Chain>> OpenSyncedChain(ledger::Ledger& ledger) {
  auto synced = sync::HasSyncSchema(ledger.database());
  if (!synced.ok()) return synced.status();
  if (!*synced) return std::unique_ptr<Chain>();
  auto local = sync::LocalChain::Open(ledger);
  if (!local.ok()) return local.status();
  return std::unique_ptr<Chain>(std::move(*local));
}

}  // namespace loyalty::terminal
