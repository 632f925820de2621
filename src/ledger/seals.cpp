#include "ledger/seals.hpp"

// The pre-update hook is declared only when asked for; Debian's libsqlite3
// is built with it (PRAGMA compile_options lists ENABLE_PREUPDATE_HOOK).
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "ledger/chain.hpp"

namespace loyalty::ledger {
namespace {

constexpr std::size_t kMacSize = 32;

struct FreeValue {
  void operator()(sqlite3_value* v) const noexcept { sqlite3_value_free(v); }
};
using OwnedValue = std::unique_ptr<sqlite3_value, FreeValue>;

struct FreeStmt {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, FreeStmt>;

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

Status SqlError(sqlite3* db, int rc, std::string_view what) {
  return {CodeFor(rc), "sqlite: " + std::string(sqlite3_errmsg(db)) + " in " +
                           std::string(what)};
}

Result<Stmt> PrepareRaw(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, sql);
  return Stmt(raw);
}

// An identifier as SQL text: SQLite's own quoting (%w), never by hand.
std::string Quoted(const std::string& name) {
  char* text = sqlite3_mprintf("\"%w\"", name.c_str());
  std::string out = text ? text : "\"\"";
  sqlite3_free(text);
  return out;
}

void PutInt(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void PutBytes(std::string& out, const void* data, std::size_t size) {
  PutInt(out, size);
  out.append(static_cast<const char*>(data), size);
}

// A value with its type, so that 1, '1' and x'31' seal differently.
void PutValue(std::string& out, sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      out.push_back('i');
      PutInt(out, static_cast<std::uint64_t>(sqlite3_value_int64(v)));
      break;
    case SQLITE_FLOAT: {
      out.push_back('f');
      const double d = sqlite3_value_double(v);
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof bits);
      PutInt(out, bits);
      break;
    }
    case SQLITE_TEXT: {
      out.push_back('t');
      const unsigned char* text = sqlite3_value_text(v);
      PutBytes(out, text, static_cast<std::size_t>(sqlite3_value_bytes(v)));
      break;
    }
    case SQLITE_BLOB: {
      out.push_back('b');
      const void* blob = sqlite3_value_blob(v);
      const auto size = static_cast<std::size_t>(sqlite3_value_bytes(v));
      PutBytes(out, size ? blob : "", size);
      break;
    }
    default: out.push_back('n');
  }
}

// A key value for a message: short, printable, never a hostile value whole.
std::string Printable(sqlite3_value* v) {
  constexpr std::size_t kMax = 40;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: return std::to_string(sqlite3_value_int64(v));
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
      const std::string_view all(text ? text : "",
                                 static_cast<std::size_t>(sqlite3_value_bytes(v)));
      std::string out = "'";
      for (char c : all.substr(0, kMax)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f || u >= 0x80 ? '?' : c);
      }
      if (all.size() > kMax) out += "...";
      return out + "'";
    }
    case SQLITE_BLOB: {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto* blob = static_cast<const unsigned char*>(sqlite3_value_blob(v));
      const auto size = static_cast<std::size_t>(sqlite3_value_bytes(v));
      std::string out = "x'";
      for (std::size_t i = 0; i < std::min<std::size_t>(size, 8); ++i) {
        out.push_back(kHex[blob[i] >> 4]);
        out.push_back(kHex[blob[i] & 15]);
      }
      if (size > 8) out += "...";
      return out + "'";
    }
    case SQLITE_NULL: return "NULL";
    default: return "?";
  }
}

void Xor(std::string& into, std::string_view mac) {
  if (into.size() != kMacSize) into.assign(kMacSize, '\0');
  for (std::size_t i = 0; i < kMacSize && i < mac.size(); ++i) into[i] ^= mac[i];
}

bool IsZero(std::string_view digest) {
  return std::all_of(digest.begin(), digest.end(), [](char c) { return c == '\0'; });
}

}  // namespace

Coverage CoverageOf(std::string_view table) {
  if (table == "entries") return Coverage::kChained;
  if (table == "meta" || table == "seals") return Coverage::kOwn;
  return Coverage::kSealed;
}

bool IsDerivedColumn(std::string_view table, std::string_view column) {
  static constexpr std::array<std::string_view, 6> kAccountCaches{
      "balance", "debt", "lots_usable", "lots_pending", "lots_from", "lots_until"};
  return table == "accounts" &&
         std::find(kAccountCaches.begin(), kAccountCaches.end(), column) !=
             kAccountCaches.end();
}

// One row change as the pre-update hook saw it.
struct Seals::Change {
  std::string table;
  std::vector<OwnedValue> before;  // empty for an insert
  std::vector<OwnedValue> after;   // empty for a delete
};

struct Seals::Prepared {
  Stmt find, upsert, remove;
  std::map<std::string, Stmt> row_by_key;  // per table, for the layout in layouts_
};

struct Seals::Hooks {
  static void OnChange(void* self, sqlite3* db, int op, const char* schema,
                       const char* table, sqlite3_int64, sqlite3_int64) {
    if (std::strcmp(schema, "main") != 0) return;
    if (CoverageOf(table) != Coverage::kSealed) return;
    auto& seals = *static_cast<Seals*>(self);
    auto change = std::make_unique<Change>();
    change->table = table;
    const int count = sqlite3_preupdate_count(db);
    auto copy = [&](auto read, std::vector<OwnedValue>& into) {
      into.reserve(static_cast<std::size_t>(count));
      for (int i = 0; i < count; ++i) {
        sqlite3_value* v = nullptr;
        if (read(db, i, &v) != SQLITE_OK || v == nullptr) {
          into.clear();
          return;
        }
        into.emplace_back(sqlite3_value_dup(v));
      }
    };
    if (op != SQLITE_INSERT) copy(sqlite3_preupdate_old, change->before);
    if (op != SQLITE_DELETE) copy(sqlite3_preupdate_new, change->after);
    seals.changes_.push_back(std::move(change));
  }

  // Only this connection's own statements pass here: a table created,
  // altered or dropped in a transaction means a migration runs.
  static int OnAuthorize(void* self, int action, const char*, const char*, const char*,
                         const char*) {
    if (action == SQLITE_CREATE_TABLE || action == SQLITE_ALTER_TABLE ||
        action == SQLITE_DROP_TABLE) {
      static_cast<Seals*>(self)->schema_changed_ = true;
    }
    return SQLITE_OK;
  }
};

Seals::Seals(Database& db, std::string_view key)
    : db_(db), mac_(key), prepared_(std::make_unique<Prepared>()) {
  sqlite3_preupdate_hook(db_.handle(), &Hooks::OnChange, this);
  sqlite3_set_authorizer(db_.handle(), &Hooks::OnAuthorize, this);
  db_.SetTransactionHooks([this] { return Flush(); }, [this] { Discard(); });
}

Seals::~Seals() {
  db_.SetTransactionHooks({}, {});
  sqlite3_set_authorizer(db_.handle(), nullptr, nullptr);
  sqlite3_preupdate_hook(db_.handle(), nullptr, nullptr);
}

void Seals::Discard() {
  changes_.clear();
  schema_changed_ = false;
  layouts_.clear();
  prepared_->row_by_key.clear();
}

bool Seals::SealsTableExists() {
  auto stmt = db_.Prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'seals'");
  if (!stmt.ok()) return false;
  auto row = stmt->Step();
  return row.ok() && *row;
}

Result<std::vector<std::string>> Seals::SealedTables() {
  auto stmt = db_.Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> tables;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string name = stmt->Text(0);
    if (CoverageOf(name) == Coverage::kSealed) tables.push_back(std::move(name));
  }
  return tables;
}

Result<const Seals::Layout*> Seals::LayoutOf(const std::string& table) {
  if (auto it = layouts_.find(table); it != layouts_.end()) return &it->second;
  auto info = db_.Prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid");
  if (!info.ok()) return info.status();
  info->Bind(1, table);
  Layout layout;
  std::vector<std::pair<std::int64_t, int>> key;
  for (;;) {
    auto row = info->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const int index = static_cast<int>(layout.columns.size());
    layout.columns.push_back(info->Text(0));
    layout.sealed.push_back(!IsDerivedColumn(table, layout.columns.back()));
    if (info->Int(1) > 0) key.emplace_back(info->Int(1), index);
  }
  std::sort(key.begin(), key.end());
  for (const auto& k : key) layout.key.push_back(k.second);
  if (layout.columns.empty()) {
    return Status(StatusCode::kInternal, "seals: table " + table + " has no columns");
  }
  // Seals are keyed by at most two columns; a table without a declared
  // key could not be sealed across VACUUM (its rowids may change).
  if (layout.key.empty() || layout.key.size() > 2) {
    return Status(StatusCode::kInternal,
                  "seals: table " + table + " needs a primary key of one or two columns");
  }
  return &layouts_.emplace(table, std::move(layout)).first->second;
}

std::string Seals::RowMac(const std::string& table, const Layout& layout,
                          const std::vector<sqlite3_value*>& values) const {
  std::string data = "loyalty-row-v1";
  PutBytes(data, table.data(), table.size());
  for (std::size_t i = 0; i < layout.columns.size() && i < values.size(); ++i) {
    if (!layout.sealed[i]) continue;
    PutBytes(data, layout.columns[i].data(), layout.columns[i].size());
    PutValue(data, values[i]);
  }
  return mac_.Compute(data);
}

std::string Seals::ScanSql(const std::string& table, const Layout& layout) const {
  std::string sql = "SELECT s.mac";
  for (const auto& c : layout.columns) sql += ", t." + Quoted(c);
  sql += " FROM " + Quoted(table) + " AS t LEFT JOIN seals AS s ON s.tbl = ?1 AND s.k1 = t." +
         Quoted(layout.columns[static_cast<std::size_t>(layout.key[0])]) + " AND s.k2 = ";
  sql += layout.key.size() > 1
             ? "t." + Quoted(layout.columns[static_cast<std::size_t>(layout.key[1])])
             : std::string("0");
  return sql;
}

std::string Seals::SelectSql(const std::string& table, const Layout& layout) const {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    sql += (i ? ", " : "") + Quoted(layout.columns[i]);
  }
  return sql + " FROM " + Quoted(table);
}

std::string Seals::RowByKeySql(const std::string& table, const Layout& layout) const {
  std::string sql = SelectSql(table, layout) + " WHERE " +
         Quoted(layout.columns[static_cast<std::size_t>(layout.key[0])]) + " = ?1";
  if (layout.key.size() > 1) {
    sql += " AND " + Quoted(layout.columns[static_cast<std::size_t>(layout.key[1])]) +
           " = ?2";
  }
  return sql;
}

namespace {

std::string KeyName(const std::vector<std::string>& columns, const std::vector<int>& key,
                    const std::vector<sqlite3_value*>& values) {
  std::string out;
  for (int k : key) {
    const auto i = static_cast<std::size_t>(k);
    if (!out.empty()) out += ", ";
    out += columns[i] + "=" + (i < values.size() ? Printable(values[i]) : "?");
  }
  return out;
}

std::vector<sqlite3_value*> Raw(const std::vector<OwnedValue>& owned) {
  std::vector<sqlite3_value*> raw;
  raw.reserve(owned.size());
  for (const auto& v : owned) raw.push_back(v.get());
  return raw;
}

}  // namespace

Result<std::map<std::string, std::string>> Seals::ReadDigests() {
  auto stmt = db_.Prepare("SELECT value FROM meta WHERE key = 'seals'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status(StatusCode::kTampered, "the seal digests (meta 'seals') are missing");
  }
  const std::string value = stmt->Blob(0);
  if (value.size() < kMacSize) {
    return Status(StatusCode::kTampered, "the seal digests (meta 'seals') are malformed");
  }
  const std::string_view body(value.data(), value.size() - kMacSize);
  if (!SameMac(value.substr(value.size() - kMacSize),
               mac_.Compute("loyalty-seals-v1" + std::string(body)))) {
    return Status(StatusCode::kTampered,
                  "the seal digests (meta 'seals') do not verify under the terminal key");
  }
  std::map<std::string, std::string> digests;
  std::size_t at = 0;
  while (at < body.size()) {
    if (body.size() - at < 2) break;
    const std::size_t length = (static_cast<unsigned char>(body[at]) << 8) |
                               static_cast<unsigned char>(body[at + 1]);
    at += 2;
    if (body.size() - at < length + kMacSize) {
      return Status(StatusCode::kTampered, "the seal digests (meta 'seals') are malformed");
    }
    digests[std::string(body.substr(at, length))] =
        std::string(body.substr(at + length, kMacSize));
    at += length + kMacSize;
  }
  return digests;
}

Status Seals::WriteDigests(const std::map<std::string, std::string>& digests) {
  std::string body;
  for (const auto& [table, digest] : digests) {
    if (IsZero(digest)) continue;
    body.push_back(static_cast<char>((table.size() >> 8) & 0xff));
    body.push_back(static_cast<char>(table.size() & 0xff));
    body += table;
    body += digest;
  }
  std::string value = body + mac_.Compute("loyalty-seals-v1" + body);
  auto stmt = db_.Prepare(
      "INSERT INTO meta(key, value) VALUES ('seals', ?1) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt.ok()) return stmt.status();
  return stmt->BindBlob(1, value).Run();
}

Status Seals::ResealAll() {
  if (Status s = db_.Exec("DELETE FROM seals"); !s.ok()) return s;
  auto tables = SealedTables();
  if (!tables.ok()) return tables.status();
  sqlite3* db = db_.handle();
  auto insert = PrepareRaw(db, "INSERT INTO seals(tbl, k1, k2, mac) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  std::map<std::string, std::string> digests;
  for (const std::string& table : *tables) {
    auto layout = LayoutOf(table);
    if (!layout.ok()) return layout.status();
    const Layout& l = **layout;
    auto scan = PrepareRaw(db, SelectSql(table, l));
    if (!scan.ok()) return scan.status();
    std::string& digest = digests[table];
    digest.assign(kMacSize, '\0');
    std::vector<sqlite3_value*> values(l.columns.size());
    for (;;) {
      const int rc = sqlite3_step(scan->get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqlError(db, rc, "resealing " + table);
      for (std::size_t i = 0; i < values.size(); ++i) {
        values[i] = sqlite3_column_value(scan->get(), static_cast<int>(i));
      }
      const std::string mac = RowMac(table, l, values);
      Xor(digest, mac);
      sqlite3_stmt* ins = insert->get();
      sqlite3_bind_text(ins, 1, table.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_value(ins, 2, values[static_cast<std::size_t>(l.key[0])]);
      if (l.key.size() > 1) {
        sqlite3_bind_value(ins, 3, values[static_cast<std::size_t>(l.key[1])]);
      } else {
        sqlite3_bind_int64(ins, 3, 0);
      }
      sqlite3_bind_blob(ins, 4, mac.data(), static_cast<int>(mac.size()), SQLITE_TRANSIENT);
      const int done = sqlite3_step(ins);
      sqlite3_reset(ins);
      if (done != SQLITE_DONE) return SqlError(db, done, "sealing " + table);
    }
  }
  return WriteDigests(digests);
}

Status Seals::Flush() {
  if (schema_changed_) {
    // A migration: every row sealed afresh (an upgrade trusts what it finds).
    Discard();
    if (!SealsTableExists()) return Status::Ok();
    return ResealAll();
  }
  if (changes_.empty()) return Status::Ok();
  if (!SealsTableExists()) {
    changes_.clear();
    return Status::Ok();
  }
  sqlite3* db = db_.handle();
  auto& p = *prepared_;
  if (!p.find) {
    auto find = PrepareRaw(db, "SELECT mac FROM seals WHERE tbl = ?1 AND k1 = ?2 AND k2 = ?3");
    auto upsert = PrepareRaw(db,
                             "INSERT INTO seals(tbl, k1, k2, mac) VALUES (?1, ?2, ?3, ?4) "
                             "ON CONFLICT(tbl, k1, k2) DO UPDATE SET mac = excluded.mac");
    auto remove = PrepareRaw(db, "DELETE FROM seals WHERE tbl = ?1 AND k1 = ?2 AND k2 = ?3");
    if (!find.ok()) return find.status();
    if (!upsert.ok()) return upsert.status();
    if (!remove.ok()) return remove.status();
    p.find = std::move(*find);
    p.upsert = std::move(*upsert);
    p.remove = std::move(*remove);
  }
  // Each row touched once, with what it held before this transaction.
  struct Touch {
    const Change* change;  // whose key values name the row
    bool from_before;      // key read from change->before
    const std::vector<OwnedValue>* before;  // nullptr: the row did not exist
  };
  std::map<std::string, Touch> touched;
  std::vector<std::string> order;
  for (const auto& change : changes_) {
    auto layout = LayoutOf(change->table);
    if (!layout.ok()) return layout.status();
    const Layout& l = **layout;
    auto id_of = [&](const std::vector<OwnedValue>& values) {
      std::string id = change->table;
      id.push_back('\0');
      for (int k : l.key) {
        const auto i = static_cast<std::size_t>(k);
        if (i < values.size()) PutValue(id, values[i].get());
      }
      return id;
    };
    if (!change->before.empty()) {
      std::string id = id_of(change->before);
      if (touched.emplace(id, Touch{change.get(), true, &change->before}).second) {
        order.push_back(std::move(id));
      }
    }
    if (!change->after.empty()) {
      std::string id = id_of(change->after);
      if (touched.emplace(id, Touch{change.get(), false, nullptr}).second) {
        order.push_back(std::move(id));
      }
    }
  }
  auto digests = ReadDigests();
  if (!digests.ok()) return digests.status();
  for (const std::string& id : order) {
    const Touch& t = touched.at(id);
    const std::string& table = t.change->table;
    auto layout = LayoutOf(table);
    if (!layout.ok()) return layout.status();
    const Layout& l = **layout;
    const std::vector<sqlite3_value*> key_values =
        Raw(t.from_before ? t.change->before : t.change->after);
    auto bind_key = [&](sqlite3_stmt* stmt, int first) {
      sqlite3_bind_text(stmt, first, table.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_value(stmt, first + 1, key_values[static_cast<std::size_t>(l.key[0])]);
      if (l.key.size() > 1) {
        sqlite3_bind_value(stmt, first + 2, key_values[static_cast<std::size_t>(l.key[1])]);
      } else {
        sqlite3_bind_int64(stmt, first + 2, 0);
      }
    };
    // The seal stored for the row before this transaction.
    std::optional<std::string> stored;
    bind_key(p.find.get(), 1);
    int rc = sqlite3_step(p.find.get());
    if (rc == SQLITE_ROW) {
      const void* blob = sqlite3_column_blob(p.find.get(), 0);
      stored = std::string(static_cast<const char*>(blob ? blob : ""),
                           static_cast<std::size_t>(sqlite3_column_bytes(p.find.get(), 0)));
    }
    sqlite3_reset(p.find.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db, rc, "reading a seal");
    if (!trusted_.count(table)) {
      const std::string row = KeyName(l.columns, l.key, key_values);
      if (t.before) {
        if (!stored || !SameMac(*stored, RowMac(table, l, Raw(*t.before)))) {
          return Status(StatusCode::kTampered,
                        "table " + table + ", row " + row +
                            ": was changed outside the library (its seal does not "
                            "match); refusing to seal it again (run verify)");
        }
      } else if (stored) {
        return Status(StatusCode::kTampered,
                      "table " + table + ", row " + row +
                          ": was removed outside the library (its seal remains); "
                          "refusing to seal it again (run verify)");
      }
    }
    // The row as it is now.
    Stmt& read = p.row_by_key[table];
    if (!read) {
      auto prepared = PrepareRaw(db, RowByKeySql(table, l));
      if (!prepared.ok()) return prepared.status();
      read = std::move(*prepared);
    }
    struct ResetRead {
      sqlite3_stmt* stmt;
      ~ResetRead() { sqlite3_reset(stmt); }
    } reset_read{read.get()};
    sqlite3_bind_value(read.get(), 1, key_values[static_cast<std::size_t>(l.key[0])]);
    if (l.key.size() > 1) {
      sqlite3_bind_value(read.get(), 2, key_values[static_cast<std::size_t>(l.key[1])]);
    }
    rc = sqlite3_step(read.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db, rc, "reading " + table);
    std::string& digest = (*digests)[table];
    if (stored) Xor(digest, *stored);
    if (rc == SQLITE_ROW) {
      std::vector<sqlite3_value*> now(l.columns.size());
      for (std::size_t i = 0; i < now.size(); ++i) {
        now[i] = sqlite3_column_value(read.get(), static_cast<int>(i));
      }
      const std::string mac = RowMac(table, l, now);
      Xor(digest, mac);
      if (!stored || *stored != mac) {
        bind_key(p.upsert.get(), 1);
        sqlite3_bind_blob(p.upsert.get(), 4, mac.data(), static_cast<int>(mac.size()),
                          SQLITE_TRANSIENT);
        rc = sqlite3_step(p.upsert.get());
        sqlite3_reset(p.upsert.get());
        if (rc != SQLITE_DONE) return SqlError(db, rc, "sealing " + table);
      }
    } else if (stored) {
      bind_key(p.remove.get(), 1);
      rc = sqlite3_step(p.remove.get());
      sqlite3_reset(p.remove.get());
      if (rc != SQLITE_DONE) return SqlError(db, rc, "unsealing " + table);
    }
  }
  changes_.clear();
  return WriteDigests(*digests);
}

Result<std::optional<SealProblem>> Seals::Check() {
  using Found = std::optional<SealProblem>;
  if (!SealsTableExists()) return Found(SealProblem{"seals", "", "the seals table is missing"});
  auto digests = ReadDigests();
  if (!digests.ok()) {
    if (digests.status().code() == StatusCode::kTampered) {
      return Found(SealProblem{"meta", "key='seals'", digests.status().message()});
    }
    return digests.status();
  }
  auto tables = SealedTables();
  if (!tables.ok()) return tables.status();
  sqlite3* db = db_.handle();
  layouts_.clear();
  prepared_->row_by_key.clear();
  for (const std::string& table : *tables) {
    auto layout = LayoutOf(table);
    if (!layout.ok()) return layout.status();
    const Layout& l = **layout;
    auto scan = PrepareRaw(db, ScanSql(table, l));
    if (!scan.ok()) return scan.status();
    sqlite3_bind_text(scan->get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
    std::string digest(kMacSize, '\0');
    std::vector<sqlite3_value*> values(l.columns.size());
    for (;;) {
      const int rc = sqlite3_step(scan->get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqlError(db, rc, "checking the seals of " + table);
      for (std::size_t i = 0; i < values.size(); ++i) {
        values[i] = sqlite3_column_value(scan->get(), static_cast<int>(i) + 1);
      }
      const std::string mac = RowMac(table, l, values);
      if (sqlite3_column_type(scan->get(), 0) == SQLITE_NULL) {
        return Found(SealProblem{table, KeyName(l.columns, l.key, values),
                                 "has no seal: it was inserted outside the library"});
      }
      const void* blob = sqlite3_column_blob(scan->get(), 0);
      const std::string seal(static_cast<const char*>(blob ? blob : ""),
                             static_cast<std::size_t>(sqlite3_column_bytes(scan->get(), 0)));
      if (!SameMac(seal, mac)) {
        return Found(SealProblem{
            table, KeyName(l.columns, l.key, values),
            "does not match its seal: it was altered outside the library (or swapped "
            "with another row)"});
      }
      Xor(digest, mac);
    }
    // Seals whose row is gone.
    std::string orphans = "SELECT k1, k2 FROM seals AS s WHERE s.tbl = ?1 AND NOT EXISTS "
                          "(SELECT 1 FROM " + Quoted(table) + " AS t WHERE t." +
                          Quoted(l.columns[static_cast<std::size_t>(l.key[0])]) + " = s.k1";
    if (l.key.size() > 1) {
      orphans += " AND t." + Quoted(l.columns[static_cast<std::size_t>(l.key[1])]) + " = s.k2";
    }
    orphans += ") LIMIT 1";
    auto orphan = PrepareRaw(db, orphans);
    if (!orphan.ok()) return orphan.status();
    sqlite3_bind_text(orphan->get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(orphan->get());
    if (rc == SQLITE_ROW) {
      std::vector<sqlite3_value*> key_values(l.columns.size(), nullptr);
      key_values[static_cast<std::size_t>(l.key[0])] = sqlite3_column_value(orphan->get(), 0);
      if (l.key.size() > 1) {
        key_values[static_cast<std::size_t>(l.key[1])] = sqlite3_column_value(orphan->get(), 1);
      }
      return Found(SealProblem{table, KeyName(l.columns, l.key, key_values),
                               "was removed outside the library (its seal remains)"});
    }
    if (rc != SQLITE_DONE) return SqlError(db, rc, "checking the seals of " + table);
    auto known = digests->find(table);
    const std::string expected =
        known == digests->end() ? std::string(kMacSize, '\0') : known->second;
    if (!SameMac(expected, digest)) {
      return Found(SealProblem{table, "",
                               "rows were removed, added back or replaced together with "
                               "their seals: the table's sealed digest does not match"});
    }
    if (known != digests->end()) digests->erase(known);
  }
  for (const auto& [table, digest] : *digests) {
    if (!IsZero(digest)) {
      return Found(SealProblem{table, "", "the table is gone but its sealed digest is not"});
    }
  }
  // Seals of no table at all.
  auto stray = db_.Prepare(
      "SELECT tbl FROM seals WHERE tbl NOT IN (SELECT name FROM sqlite_schema "
      "WHERE type = 'table') LIMIT 1");
  if (!stray.ok()) return stray.status();
  auto row = stray->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    return Found(SealProblem{stray->Text(0), "", "seals remain for a table that is gone"});
  }
  return Found();
}

}  // namespace loyalty::ledger
