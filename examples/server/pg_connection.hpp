// A thin layer over libpq for PostgresStore: every value travels as a
// parameter apart from the SQL text (PQexecPrepared), never spliced into
// it; statements are prepared once per connection. Connections are leased
// from a small pool, one thread per connection at a time.
#pragma once

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/status.hpp"

namespace loyalty::server::pg {

// One parameter: text, raw bytes (bytea, sent in binary) or NULL.
struct Param {
  std::optional<std::string> value;
  bool binary = false;
};
inline Param Text(std::string v) { return {std::move(v), false}; }
inline Param Bytes(std::string raw) { return {std::move(raw), true}; }
inline Param Int(std::int64_t v) { return {std::to_string(v), false}; }
inline Param Bool(bool v) { return {v ? "true" : "false", false}; }
inline Param OptInt(const std::optional<std::int64_t>& v) {
  return v ? Int(*v) : Param{std::nullopt, false};
}

// The rows of one statement (text format).
class Rows {
 public:
  explicit Rows(PGresult* r) : result_(r, &PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string Text(int row, int col) const;
  std::int64_t Int(int row, int col) const;
  std::string Bytes(int row, int col) const;  // a bytea column, unescaped
  // Rows written by an INSERT/UPDATE/DELETE.
  std::int64_t affected() const;

 private:
  std::shared_ptr<PGresult> result_;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with parameters ($1, $2, ...), prepared on first use.
  Result<Rows> Exec(const std::string& sql, const std::vector<Param>& params = {});
  Status Run(const std::string& sql, const std::vector<Param>& params = {});
  // Several statements without parameters (migrations).
  Status Script(const std::string& sql);
  // The SQLSTATE of the last failure ("" when none).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // After a lost connection: connect again (prepared statements are gone).
  bool Healthy();

 private:
  explicit Connection(PGconn* c) : conn_(c) {}
  Status Failed(PGresult* r, const std::string& sql);
  PGconn* conn_;
  std::map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::string last_sqlstate_;
};

// A serialization failure (40001) or a deadlock (40P01): the transaction
// failed as a whole and may simply run again. Failures read
// "postgresql [SQLSTATE] ...".
bool Retryable(const Status& s);

// BEGIN on construction, ROLLBACK in the destructor unless committed.
class Transaction {
 public:
  Transaction(Connection& c, const char* begin = "BEGIN");
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& begun() const { return begun_; }
  Status Commit();

 private:
  Connection& c_;
  Status begun_;
  bool open_ = false;
};

class Pool {
 public:
  Pool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), size_(size) {}

  // A connection for one thread until it goes out of scope.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };
  Result<Lease> Acquire();
  int size() const { return size_; }

 private:
  std::string conninfo_;
  int size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace loyalty::server::pg
