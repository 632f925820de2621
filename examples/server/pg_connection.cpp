#include "pg_connection.hpp"

#include <cstdlib>

namespace loyalty::server::pg {

std::string Rows::Text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col),
                     static_cast<size_t>(PQgetlength(result_.get(), row, col)));
}

std::int64_t Rows::Int(int row, int col) const {
  return std::strtoll(PQgetvalue(result_.get(), row, col), nullptr, 10);
}

std::string Rows::Bytes(int row, int col) const {
  size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, col)), &length);
  if (raw == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

std::int64_t Rows::affected() const {
  return std::strtoll(PQcmdTuples(result_.get()), nullptr, 10);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    std::string why = c ? PQerrorMessage(c) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (c) PQfinish(c);
    return Status(StatusCode::kIoError, "postgresql: cannot connect: " + why);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(c));
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::Failed(PGresult* r, const std::string& sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string why = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  if (r) PQclear(r);
  const std::string first_words = sql.substr(0, sql.find_first_of("\n("));
  return Status(StatusCode::kIoError, "postgresql [" + last_sqlstate_ + "] " + why + " (in: " +
                                          first_words.substr(0, 60) + ")");
}

Result<Rows> Connection::Exec(const std::string& sql, const std::vector<Param>& params) {
  last_sqlstate_.clear();
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size() + 1);
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) return Failed(r, sql);
    PQclear(r);
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                               values.data(), lengths.data(), formats.data(), 0);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failed(r, sql);
  return Rows(r);
}

Status Connection::Run(const std::string& sql, const std::vector<Param>& params) {
  auto r = Exec(sql, params);
  return r.ok() ? Status::Ok() : r.status();
}

Status Connection::Script(const std::string& sql) {
  last_sqlstate_.clear();
  PGresult* r = PQexec(conn_, sql.c_str());
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failed(r, sql);
  PQclear(r);
  return Status::Ok();
}

bool Connection::Healthy() {
  if (PQstatus(conn_) == CONNECTION_OK) return true;
  PQreset(conn_);
  prepared_.clear();
  return PQstatus(conn_) == CONNECTION_OK;
}

bool Retryable(const Status& s) {
  return s.message().rfind("postgresql [40001]", 0) == 0 ||
         s.message().rfind("postgresql [40P01]", 0) == 0;
}

Transaction::Transaction(Connection& c, const char* begin) : c_(c) {
  begun_ = c_.Script(begin);
  open_ = begun_.ok();
}

Transaction::~Transaction() {
  if (open_) (void)c_.Script("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = c_.Script("COMMIT");
  open_ = false;
  return s;
}

Pool::Lease::~Lease() {
  if (!c_) return;
  std::lock_guard<std::mutex> guard(pool_->mutex_);
  pool_->idle_.push_back(std::move(c_));
  pool_->returned_.notify_one();
}

Result<Pool::Lease> Pool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> c = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    if (!c->Healthy()) {
      std::lock_guard<std::mutex> guard(mutex_);
      --open_;
      returned_.notify_one();
      return Status(StatusCode::kIoError, "postgresql: the connection was lost and not regained");
    }
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  auto c = Connection::Open(conninfo_);
  if (!c.ok()) {
    std::lock_guard<std::mutex> guard(mutex_);
    --open_;
    returned_.notify_one();
    return c.status();
  }
  return Lease(this, std::move(*c));
}

}  // namespace loyalty::server::pg
