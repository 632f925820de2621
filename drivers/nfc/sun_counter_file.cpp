// SunCounterFile: the replay memory of NTAG 424 DNA taps in SQLite, one row
// per card with the highest read counter accepted.
// A file of its own rather than a table in the ledger (a migration 12): a
// reader is opened without a Terminal (loyalty_reader_open takes none), the
// drivers may see public types only, and the ledger is an append-only hash
// chain whose Verify and sync have no place for a counter that is
// overwritten on every tap.
#include <sqlite3.h>

#include <mutex>

#include "loyalty/reader.hpp"

namespace loyalty {

struct SunCounterFile::Impl {
  std::mutex mutex;
  sqlite3* db = nullptr;
  sqlite3_stmt* accept = nullptr;
  std::string path;
  Key meta_read_key{};
  FileReadKeyFn file_read_key;

  ~Impl() {
    sqlite3_finalize(accept);
    sqlite3_close(db);
  }
};

Result<std::unique_ptr<SunCounterFile>> SunCounterFile::Open(const std::string& path,
                                                             const Key& meta_read_key,
                                                             FileReadKeyFn file_read_key) {
  if (!file_read_key) {
    return Status(StatusCode::kInvalidArgument, "SunCounterFile: file_read_key is empty");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->meta_read_key = meta_read_key;
  impl->file_read_key = std::move(file_read_key);
  auto fail = [&](const char* what) {
    const std::string why = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
    return Status(StatusCode::kIoError,
                  "SUN counter file '" + path + "': cannot " + what + " (" + why + ")");
  };
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return fail("open");
  }
  sqlite3_busy_timeout(impl->db, 2000);
  // Durable before a tap is accepted: a power cut must not forget a counter.
  if (sqlite3_exec(impl->db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                   "CREATE TABLE IF NOT EXISTS sun_counters ("
                   "uid TEXT PRIMARY KEY, counter INTEGER NOT NULL) STRICT;",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("create its table");
  }
  // Only a higher counter changes the row; no change means a replay.
  if (sqlite3_prepare_v2(impl->db,
                         "INSERT INTO sun_counters(uid, counter) VALUES (?1, ?2) "
                         "ON CONFLICT(uid) DO UPDATE SET counter = excluded.counter "
                         "WHERE excluded.counter > sun_counters.counter",
                         -1, &impl->accept, nullptr) != SQLITE_OK) {
    return fail("prepare");
  }
  return std::unique_ptr<SunCounterFile>(new SunCounterFile(std::move(impl)));
}

SunCounterFile::SunCounterFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SunCounterFile::~SunCounterFile() = default;

SunAuthority::Key SunCounterFile::MetaReadKey() const { return impl_->meta_read_key; }

std::optional<SunAuthority::Key> SunCounterFile::FileReadKey(std::string_view uid_hex) const {
  return impl_->file_read_key(uid_hex);
}

bool SunCounterFile::AcceptCounter(std::string_view uid_hex, std::uint32_t counter) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  sqlite3_stmt* s = impl_->accept;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, uid_hex.data(), static_cast<int>(uid_hex.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(counter));
  const bool written = sqlite3_step(s) == SQLITE_DONE;
  const bool accepted = written && sqlite3_changes(impl_->db) > 0;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return accepted;
}

}  // namespace loyalty
