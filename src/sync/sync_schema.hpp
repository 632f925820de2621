// The sync module's own tables, in the Terminal's ledger file. They have
// their own forward migrations, tracked in the ledger's meta table under
// 'sync_schema' (the ledger's PRAGMA user_version is not ours to move).
#pragma once

#include <cstdint>

#include "ledger/database.hpp"

namespace loyalty::sync {

std::int64_t LatestSyncSchemaVersion();

// Whether this ledger has synced before (its sync tables exist).
Result<bool> HasSyncSchema(ledger::Database& db);

// Creates or migrates the sync tables; each step in its own transaction.
// A file written by a newer sync module is kDatabaseCorrupt.
Status MigrateSyncSchema(ledger::Database& db);

}  // namespace loyalty::sync
