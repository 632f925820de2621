#include "open_store.hpp"

#include "postgres_store.hpp"
#include "sqlite_store.hpp"

namespace loyalty::server {

Result<std::unique_ptr<CentralStore>> OpenStore(const std::string& db) {
  auto bad = [&db](const std::string& why) {
    return Status(StatusCode::kInvalidArgument, "--db '" + db + "': " + why);
  };
  auto starts = [&db](const char* prefix) { return db.rfind(prefix, 0) == 0; };
  if (starts("postgresql://") || starts("postgres://")) {
    auto store = PostgresStore::Open(db);
    if (!store.ok()) return store.status();
    return std::unique_ptr<CentralStore>(std::move(*store));
  }
  std::string path = db;
  if (starts("sqlite:")) {
    path = db.substr(7);
  } else if (const auto scheme = db.find("://"); scheme != std::string::npos) {
    return bad("unknown scheme '" + db.substr(0, scheme) +
               "' (sqlite:PATH, postgresql://... or a file path)");
  }
  if (path.empty()) return bad("no file named (sqlite:PATH)");
  auto store = SqliteStore::Open(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<CentralStore>(std::move(*store));
}

}  // namespace loyalty::server
