// Which store a `--db` names: "sqlite:central.db" or a plain path (SQLite,
// one file, the embedded default), "postgresql://..." or "postgres://..."
// (a libpq connection URI: PostgreSQL, shared by several server processes).
#pragma once

#include <memory>
#include <string>

#include "store.hpp"

namespace loyalty::server {

// kInvalidArgument naming the problem for an empty path or an unknown
// scheme ("mysql://..."); the store's own error when it cannot open.
Result<std::unique_ptr<CentralStore>> OpenStore(const std::string& db);

}  // namespace loyalty::server
