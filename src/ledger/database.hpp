// RAII over the SQLite C API: a connection, prepared statements that
// finalise themselves, and a transaction guard that rolls back unless
// committed. Errors become Status values that name the SQL step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace loyalty::ledger {

class Database;

class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Bind by 1-based index. Binding never fails for a prepared statement
  // with enough parameters; misuse is a programming error caught in tests.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);

  // Steps once: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps to completion and resets; for INSERT/UPDATE/DELETE.
  Status Run();
  void Reset();

  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  // The text without a copy: valid until the next Step, Reset or read of
  // another type from this column.
  std::string_view TextView(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  Statement(sqlite3_stmt* stmt, Database* db) : stmt_(stmt), db_(db) {}
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  Database* db_ = nullptr;
};

struct DatabaseOptions {
  std::string path;
  bool synchronous_full = true;
  int busy_timeout_ms = 2000;
  bool exclusive = true;  // hold SQLite's file locks while open (one owner)
  // Open an existing file read-only, creating nothing beside it (no WAL,
  // no SHM): immutable when no write-ahead log is left.
  bool read_only = false;
};

class Database {
 public:
  // Creates the file owner-only (0600, whatever the umask) when it does
  // not exist, and takes group and other access away from an existing one
  // of ours; SQLite gives its -wal and -shm files the same mode.
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);
  // Whether Open created the file (so a failed first open can remove it).
  bool created() const noexcept { return created_; }
  bool read_only() const noexcept { return read_only_; }
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // Maps the connection's last error to a Status naming `what`.
  Status Error(std::string_view what) const;
  std::int64_t Changes() const;
  std::int64_t UserVersion();
  sqlite3* handle() const noexcept { return db_; }
  // Counts Transaction begins and ends: odd while one is open. What was
  // read inside one transaction may be kept while this stays the same.
  std::uint64_t transaction_generation() const noexcept { return generation_; }
  // The generation the last successful Transaction::Commit left (even).
  std::uint64_t committed_generation() const noexcept { return committed_; }

  // Run by every Transaction: `before_commit` inside it, just before
  // COMMIT (an error keeps it from committing, and it rolls back);
  // `after_rollback` once it rolled back. The ledger's row seals use them.
  void SetTransactionHooks(std::function<Status()> before_commit,
                           std::function<void()> after_rollback) {
    before_commit_ = std::move(before_commit);
    after_rollback_ = std::move(after_rollback);
  }

 private:
  friend class Transaction;
  explicit Database(sqlite3* db) : db_(db) {}
  // Pragmas and the transaction statements, after the file is open.
  Status Configure(const DatabaseOptions& options);
  sqlite3* db_;
  std::uint64_t generation_ = 0;
  std::uint64_t committed_ = 0;
  bool created_ = false;
  bool read_only_ = false;
  // A Transaction's statements, prepared once instead of parsed by
  // sqlite3_exec every time.
  Statement begin_, commit_, rollback_;
  std::function<Status()> before_commit_;
  std::function<void()> after_rollback_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless
// Commit() succeeded. One per POS operation.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& begun() const { return begun_; }
  Status Commit();

 private:
  Database& db_;
  Status begun_;
  bool open_ = false;
};

}  // namespace loyalty::ledger
