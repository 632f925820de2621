// The ledger's schema as a list of forward migrations, tracked in
// PRAGMA user_version.
#pragma once

#include <cstdint>

#include "ledger/database.hpp"

namespace loyalty::ledger {

// The version this library writes.
std::int64_t LatestSchemaVersion();

// Applies migrations from the file's user_version up to `target` (latest
// when 0), each in its own transaction. A file newer than the library, or
// one whose tables are not a ledger's, is kDatabaseCorrupt.
Status Migrate(Database& db, std::int64_t target = 0);

}  // namespace loyalty::ledger
