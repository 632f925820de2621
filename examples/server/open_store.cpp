#include "open_store.hpp"

#include <charconv>

#include "postgres_store.hpp"
#include "sqlite_store.hpp"

namespace loyalty::server {

namespace {

constexpr std::string_view kPoolSize = "pool_size=";

// Takes "pool_size=N" out of a URI's query: it is ours, and libpq refuses a
// parameter it does not know.
Result<int> TakePoolSize(std::string& uri) {
  const std::size_t query = uri.find('?');
  if (query == std::string::npos) return kDefaultPoolSize;
  std::string kept;
  int size = kDefaultPoolSize;
  std::size_t at = query + 1;
  while (at <= uri.size()) {
    std::size_t end = uri.find('&', at);
    if (end == std::string::npos) end = uri.size();
    const std::string_view param(uri.data() + at, end - at);
    if (param.substr(0, kPoolSize.size()) == kPoolSize) {
      const std::string_view value = param.substr(kPoolSize.size());
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (ec != std::errc() || ptr != value.data() + value.size() || size < 1 ||
          size > kMaxPoolSize) {
        return Status(StatusCode::kInvalidArgument,
                      "pool_size must be a whole number from 1 to " +
                          std::to_string(kMaxPoolSize) + ", not '" + std::string(value) + "'");
      }
    } else if (!param.empty()) {
      kept += kept.empty() ? "" : "&";
      kept += param;
    }
    at = end + 1;
  }
  uri.resize(query);
  if (!kept.empty()) uri += "?" + kept;
  return size;
}

}  // namespace

Result<std::unique_ptr<CentralStore>> OpenStore(const std::string& db) {
  auto bad = [&db](const std::string& why) {
    return Status(StatusCode::kInvalidArgument, "--db '" + db + "': " + why);
  };
  auto starts = [&db](const char* prefix) { return db.rfind(prefix, 0) == 0; };
  if (starts("postgresql://") || starts("postgres://")) {
    std::string uri = db;
    auto pool_size = TakePoolSize(uri);
    if (!pool_size.ok()) return bad(pool_size.status().message());
    auto store = PostgresStore::Open(uri, *pool_size);
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
