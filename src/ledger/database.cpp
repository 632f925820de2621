#include "ledger/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loyalty::ledger {
namespace {

StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StatusCode::kDatabaseLocked;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StatusCode::kDatabaseCorrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return StatusCode::kIoError;
    default: return StatusCode::kInternal;
  }
}

}  // namespace

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status error(CodeFor(rc), std::string("sqlite: ") + sqlite3_errmsg(db_->handle()) +
                                " in: " + sqlite3_sql(stmt_.get()));
  sqlite3_reset(stmt_.get());
  return error;
}

namespace {

Status RunToEnd(Statement& stmt) {
  for (;;) {
    auto row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
  }
  stmt.Reset();
  return Status::Ok();
}

}  // namespace

Status Statement::Run() {
  // A write outside any transaction gets a Transaction of its own, so that
  // what runs before each commit (the ledger's row seals) commits with it,
  // atomically.
  if (sqlite3_get_autocommit(db_->handle()) != 0 && sqlite3_stmt_readonly(stmt_.get()) == 0) {
    Transaction tx(*db_);
    if (!tx.begun().ok()) {
      Reset();
      return tx.begun();
    }
    if (Status s = RunToEnd(*this); !s.ok()) return s;
    return tx.Commit();
  }
  return RunToEnd(*this);
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))};
}

std::string_view Statement::TextView(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))};
}

std::string Statement::Blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob),
          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column))};
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

namespace {

// SQLite's URI form of a file name (sqlite.org/uri.html): '%', '?' and '#'
// are the characters it would read as URI syntax.
std::string FileUri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[static_cast<unsigned char>(c) & 0xf];
    } else {
      uri += c;
    }
  }
  return uri + "?" + query;
}

// The connection of a read-only open; the caller owns it.
Result<sqlite3*> OpenReadOnly(const DatabaseOptions& options) {
  struct stat st {};
  if (::stat(options.path.c_str(), &st) != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "database_path '" + options.path + "': read_only needs an existing ledger (" +
                      std::strerror(errno) + ")");
  }
  // Immutable: no locks, no WAL or SHM file, nothing written. A WAL file
  // left by a till that died holds commits the file lacks; reading it
  // needs SQLite's ordinary read-only mode.
  struct stat wal {};
  const bool wal_left = ::stat((options.path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0;
  sqlite3* raw = nullptr;
  const std::string uri = FileUri(options.path, wal_left ? "mode=ro" : "immutable=1");
  const int rc = sqlite3_open_v2(
      uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close_v2(raw);
    return Status(CodeFor(rc), "database_path: cannot open '" + options.path +
                                   "' read-only: " + why);
  }
  return raw;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  if (options.read_only) {
    auto raw = OpenReadOnly(options);
    if (!raw.ok()) return raw.status();
    std::unique_ptr<Database> db(new Database(*raw));
    db->read_only_ = true;
    if (Status s = db->Configure(options); !s.ok()) return s;
    return db;
  }
  // Every customer's name and balance is in the file: owner-only.
  bool created = false;
  if (!options.path.empty() && options.path != ":memory:" &&
      options.path.rfind("file:", 0) != 0) {
    struct stat st {};
    if (::stat(options.path.c_str(), &st) != 0) {
      const int fd =
          ::open(options.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) {
        return Status(StatusCode::kIoError, "database_path: cannot create '" + options.path +
                                                "': " + std::strerror(errno));
      }
      (void)::fchmod(fd, 0600);
      ::close(fd);
      created = true;
    } else if ((st.st_mode & 077) != 0 && st.st_uid == ::geteuid()) {
      (void)::chmod(options.path.c_str(), st.st_mode & 0700);
    }
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(options.path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                     SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  db->created_ = created;
  if (rc != SQLITE_OK) {
    return Status(CodeFor(rc), "database_path: cannot open '" + options.path +
                                   "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  if (Status s = db->Configure(options); !s.ok()) return s;
  return db;
}

Status Database::Configure(const DatabaseOptions& options) {
  Database* db = this;
  sqlite3* raw = db_;
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // The Terminal owns its ledger (a file lock says so): holding SQLite's
  // locks for the connection's life saves the lock system calls of every
  // transaction, and keeps the WAL index in heap memory instead of -shm.
  if (options.read_only) {
    // Reading the schema tells a non-database file apart from a ledger.
    if (Status s = db->Exec("SELECT count(*) FROM sqlite_schema"); !s.ok()) {
      return Status(s.code(), "database_path: '" + options.path + "': " + s.message());
    }
  } else {
    if (options.exclusive) {
      if (Status s = db->Exec("PRAGMA locking_mode=EXCLUSIVE"); !s.ok()) return s;
    }
    // Reading the header first tells a non-database file apart from a ledger.
    if (Status s = db->Exec("PRAGMA journal_mode=WAL"); !s.ok()) {
      return Status(s.code(), "database_path: '" + options.path + "': " + s.message());
    }
    if (Status s = db->Exec(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                     : "PRAGMA synchronous=NORMAL");
        !s.ok()) {
      return s;
    }
  }
  if (Status s = db->Exec("PRAGMA foreign_keys=ON"); !s.ok()) return s;
  // Reads through a memory map instead of read(2) per page, and a page
  // cache that holds a till's hot accounts: a balance is a few pages.
  if (Status s = db->Exec("PRAGMA mmap_size=268435456"); !s.ok()) return s;
  if (Status s = db->Exec("PRAGMA cache_size=-16384"); !s.ok()) return s;
  for (auto [stmt, sql] : {std::pair{&db->begin_, "BEGIN IMMEDIATE"},
                           std::pair{&db->commit_, "COMMIT"},
                           std::pair{&db->rollback_, "ROLLBACK"}}) {
    auto prepared = db->Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(*prepared);
  }
  return Status::Ok();
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string why = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return {CodeFor(rc), "sqlite: " + why};
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Status(CodeFor(rc), std::string("sqlite: ") + sqlite3_errmsg(db_) +
                                   " preparing: " + std::string(sql));
  }
  return Statement(stmt, this);
}

Status Database::Error(std::string_view what) const {
  return {CodeFor(sqlite3_errcode(db_)),
          std::string(what) + ": " + sqlite3_errmsg(db_)};
}

std::int64_t Database::Changes() const { return sqlite3_changes64(db_); }

std::int64_t Database::UserVersion() {
  auto stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok()) return -1;
  auto row = stmt->Step();
  if (!row.ok() || !*row) return -1;
  return stmt->Int(0);
}

Transaction::Transaction(Database& db) : db_(db) {
  begun_ = RunToEnd(db_.begin_);
  open_ = begun_.ok();
  if (open_) ++db_.generation_;
}

Transaction::~Transaction() {
  if (open_) {
    // SQLite may have rolled back already (an I/O error ends a transaction).
    if (sqlite3_get_autocommit(db_.db_) == 0) (void)RunToEnd(db_.rollback_);
    ++db_.generation_;
    if (db_.after_rollback_) db_.after_rollback_();
  }
}

Status Transaction::Commit() {
  if (!open_) return begun_.ok() ? Status(StatusCode::kInternal, "commit twice") : begun_;
  if (db_.before_commit_) {
    if (Status s = db_.before_commit_(); !s.ok()) return s;
  }
  Status s = RunToEnd(db_.commit_);
  if (s.ok()) {
    open_ = false;
    db_.committed_ = ++db_.generation_;
  }
  return s;
}

}  // namespace loyalty::ledger
