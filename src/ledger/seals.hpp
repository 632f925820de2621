// Row seals: a keyed MAC over every row of every table the hash chain does
// not cover, so that a row altered, inserted, removed or swapped behind the
// library's back is found and named.
//
// Every table of the file is one of (docs/ledger.md, "What Verify covers"):
//   chained  `entries`: the hash chain (chain.hpp) covers each row;
//   own      `meta`, `seals`: records that check themselves (the sealed
//            head, the key check, the seal digests);
//   sealed   every other table: each row has a seal, HMAC(key,
//            "loyalty-row-v1" ‖ table ‖ each column's name and value), in
//            `seals`, keyed by the row's primary key; the seals of each
//            table are folded (XOR) into a digest kept in meta 'seals'
//            under a tag, so removing a row together with its seal, or
//            putting back an older row with its older seal, is found too.
// Columns that are caches of the entries (an account's balance, debt and
// lot sums) are left out of the seal: Verify() recomputes and compares
// them instead.
//
// How seals follow the library's own writes without a change at each
// write: SQLite's pre-update hook records every row this connection
// changes, and before each Transaction commits, Flush() checks that each
// changed row was as its seal said before the change (else the commit is
// refused: a tampered row is never resealed by a later sale) and seals the
// row as it is now. A transaction that creates or alters a table (a
// migration) reseals every row instead: an upgrade trusts what it finds.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/database.hpp"
#include "ledger/mac.hpp"
#include "loyalty/status.hpp"

struct sqlite3;
struct sqlite3_value;

namespace loyalty::ledger {

enum class Coverage { kChained, kOwn, kSealed };

// How Verify covers `table`; every table not chained or own is sealed.
Coverage CoverageOf(std::string_view table);
// Columns of `table` that are caches recomputed from the entries and
// compared by Verify() (left out of the row's seal).
bool IsDerivedColumn(std::string_view table, std::string_view column);

// What a seal check found wrong: the table, the row (its primary key, made
// printable and short) and what is wrong with it.
struct SealProblem {
  std::string table;
  std::string row;
  std::string what;
};

class Seals {
 public:
  // Watches `db`'s changes from now on. `db` must outlive this.
  Seals(Database& db, std::string_view key);
  ~Seals();
  Seals(const Seals&) = delete;
  Seals& operator=(const Seals&) = delete;

  // Every seal recomputed from the rows as they are (inside a transaction).
  Status ResealAll();
  // The first row whose seal is missing, wrong or orphaned, or a digest
  // that does not match; nullopt when every sealed table checks.
  Result<std::optional<SealProblem>> Check();
  // While set, rows of `table` are resealed by Flush() even when they did
  // not match their seals before (Rebuild() rewrites derived tables).
  void TrustBeforeFlush(std::set<std::string> tables) { trusted_ = std::move(tables); }

 private:
  struct Change;
  struct Layout {
    std::vector<std::string> columns;     // in table order
    std::vector<bool> sealed;             // per column: part of the seal
    std::vector<int> key;                 // primary-key columns, in key order
  };
  // Each row of the table with its seal (NULL when it has none), and one
  // row read by its key.
  std::string SelectSql(const std::string& table, const Layout& layout) const;
  std::string ScanSql(const std::string& table, const Layout& layout) const;
  std::string RowByKeySql(const std::string& table, const Layout& layout) const;
  struct Hooks;  // SQLite's callbacks (seals.cpp)
  struct Prepared;  // statements over `seals`, prepared once
  Status Flush();
  void Discard();
  Result<const Layout*> LayoutOf(const std::string& table);
  std::string RowMac(const std::string& table, const Layout& layout,
                     const std::vector<sqlite3_value*>& values) const;
  Result<std::map<std::string, std::string>> ReadDigests();
  Status WriteDigests(const std::map<std::string, std::string>& digests);
  Result<std::vector<std::string>> SealedTables();
  bool SealsTableExists();

  Database& db_;
  Mac mac_;
  std::vector<std::unique_ptr<Change>> changes_;
  bool schema_changed_ = false;
  std::map<std::string, Layout> layouts_;
  std::set<std::string> trusted_;
  std::unique_ptr<Prepared> prepared_;
};

}  // namespace loyalty::ledger
