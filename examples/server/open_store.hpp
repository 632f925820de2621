// Which store a `--db` names: "sqlite:central.db" or a plain path (SQLite,
// one file, the embedded default), "postgresql://..." or "postgres://..."
// (a libpq connection URI: PostgreSQL, shared by several server processes).
// A PostgreSQL URI may add "pool_size=N" to its query: the connections this
// process keeps (default 8; a server thread waits for a free one).
#pragma once

#include <memory>
#include <string>

#include "store.hpp"

namespace loyalty::server {

// kInvalidArgument naming the problem for an empty path or an unknown
// scheme ("mysql://...") or a bad pool_size; the store's own error when it cannot open.
Result<std::unique_ptr<CentralStore>> OpenStore(const std::string& db);

}  // namespace loyalty::server
