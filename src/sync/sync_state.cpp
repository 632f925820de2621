#include "sync/sync_state.hpp"

namespace loyalty::sync {

Result<SyncState> SyncState::Prepare(ledger::Database& db) {
  SyncState state;
  auto get = db.Prepare("SELECT value FROM sync_state WHERE key = ?1");
  if (!get.ok()) return get.status();
  auto put = db.Prepare(
      "INSERT INTO sync_state(key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!put.ok()) return put.status();
  auto erase = db.Prepare("DELETE FROM sync_state WHERE key = ?1");
  if (!erase.ok()) return erase.status();
  state.get_ = std::move(*get);
  state.put_ = std::move(*put);
  state.erase_ = std::move(*erase);
  return state;
}

Result<std::optional<std::int64_t>> SyncState::Int(const char* key) {
  get_.Bind(1, key);
  auto row = get_.Step();
  if (!row.ok()) return row.status();
  std::optional<std::int64_t> value;
  if (*row && !get_.IsNull(0)) value = get_.Int(0);
  get_.Reset();
  return value;
}

Result<std::optional<std::string>> SyncState::Text(const char* key) {
  get_.Bind(1, key);
  auto row = get_.Step();
  if (!row.ok()) return row.status();
  std::optional<std::string> value;
  if (*row && !get_.IsNull(0)) value = get_.Text(0);
  get_.Reset();
  return value;
}

Status SyncState::SetInt(const char* key, std::int64_t value) {
  return put_.Bind(1, key).Bind(2, value).Run();
}

Status SyncState::SetText(const char* key, const std::string& value) {
  return put_.Bind(1, key).Bind(2, std::string_view(value)).Run();
}

Status SyncState::Erase(const char* key) { return erase_.Bind(1, key).Run(); }

}  // namespace loyalty::sync
