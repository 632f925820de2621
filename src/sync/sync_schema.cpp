#include "sync/sync_schema.hpp"

#include <array>
#include <string>

namespace loyalty::sync {
namespace {

// Append only: a released migration is never edited.
constexpr std::array<const char*, 3> kSyncMigrations{
    // 1: the outbox's state. The ledger rows themselves are never marked
    // "sent": acked_seq in sync_state says how far the server holds them.
    R"sql(
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value ANY
) STRICT;
CREATE TABLE sync_batches (
  batch_id    TEXT PRIMARY KEY,
  first_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  state       TEXT NOT NULL,              -- open, acked, abandoned
  created_at  INTEGER NOT NULL,
  answered_at INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sync_open_batches ON sync_batches(first_seq) WHERE state = 'open';
CREATE TABLE sync_receipts (
  seq         INTEGER PRIMARY KEY,        -- the chain head the server signed
  mac         BLOB NOT NULL,
  server_time INTEGER NOT NULL,
  signature   BLOB NOT NULL,
  verified    INTEGER NOT NULL,           -- 1: checked against the pinned key
  batch_id    TEXT NOT NULL
) STRICT;
CREATE TABLE sync_exceptions (
  seq      INTEGER NOT NULL,
  status   TEXT NOT NULL,                 -- applied_flagged, rejected, conflict
  reason   TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (seq, status)
) STRICT, WITHOUT ROWID;
CREATE TABLE sync_balances (
  account_id           TEXT PRIMARY KEY,
  server_points        INTEGER NOT NULL,
  version              INTEGER NOT NULL,
  includes_through_seq INTEGER NOT NULL,
  remote_points        INTEGER NOT NULL,  -- server_points less own entries <= includes
  updated_at           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE sync_hotlist (
  card_hash  BLOB PRIMARY KEY,
  state      TEXT NOT NULL,               -- blocked, lost, cleared
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE sync_programs (
  version INTEGER PRIMARY KEY,
  path    TEXT NOT NULL,
  state   TEXT NOT NULL,                  -- received, loaded, refused
  reason  TEXT NOT NULL,
  at      INTEGER NOT NULL
) STRICT;
)sql",
    // 2: each accepted program version's seal under the terminal key, so a
    // program file swapped on disk is caught at the next start.
    R"sql(
ALTER TABLE sync_programs ADD COLUMN seal BLOB;
)sql",
    // 3: the server's money on gift cards and wallets, like sync_balances
    // for points: remote_minor is what other tills added.
    R"sql(
CREATE TABLE sync_stored_value (
  account_id           TEXT NOT NULL,
  ref                  TEXT NOT NULL,     -- gift, wallet
  server_minor         INTEGER NOT NULL,
  version              INTEGER NOT NULL,
  includes_through_seq INTEGER NOT NULL,
  remote_minor         INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (account_id, ref)
) STRICT;
)sql",
};

Result<std::int64_t> StoredVersion(ledger::Database& db) {
  auto stmt = db.Prepare("SELECT CAST(value AS TEXT) FROM meta WHERE key = 'sync_schema'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::int64_t{0};
  const std::string text = stmt->Text(0);
  try {
    return static_cast<std::int64_t>(std::stoll(text));
  } catch (const std::exception&) {
    return Status(StatusCode::kDatabaseCorrupt,
                  "meta 'sync_schema': '" + text + "' is not a version number");
  }
}

}  // namespace

Result<bool> HasSyncSchema(ledger::Database& db) {
  auto version = StoredVersion(db);
  if (!version.ok()) return version.status();
  return *version > 0;
}

std::int64_t LatestSyncSchemaVersion() {
  return static_cast<std::int64_t>(kSyncMigrations.size());
}

Status MigrateSyncSchema(ledger::Database& db) {
  auto version = StoredVersion(db);
  if (!version.ok()) return version.status();
  if (*version > LatestSyncSchemaVersion()) {
    return {StatusCode::kDatabaseCorrupt,
            "sync schema version " + std::to_string(*version) +
                " is newer than this library understands (" +
                std::to_string(LatestSyncSchemaVersion()) + ")"};
  }
  for (std::int64_t v = *version; v < LatestSyncSchemaVersion(); ++v) {
    ledger::Transaction tx(db);
    if (!tx.begun().ok()) return tx.begun();
    if (Status s = db.Exec(kSyncMigrations[static_cast<size_t>(v)]); !s.ok()) {
      return {s.code(), "sync migration to " + std::to_string(v + 1) + " failed: " + s.message()};
    }
    auto put = db.Prepare(
        "INSERT INTO meta(key, value) VALUES ('sync_schema', ?1) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!put.ok()) return put.status();
    put->BindBlob(1, std::to_string(v + 1));
    if (Status s = put->Run(); !s.ok()) return s;
    if (Status s = tx.Commit(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace loyalty::sync
