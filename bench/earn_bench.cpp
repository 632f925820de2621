// A durable earn through Terminal::Commit against the bare SQLite statements
// the same earn needs, on twin files built the same way, so the summary can
// state the library's cost as a ratio to SQLite itself.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "benchmarks.hpp"

namespace loyalty::bench {
namespace {

// A regular customer base: 1,000 accounts with 5 sales each (a handful of
// open lots and entries per account, like a till after some weeks).
constexpr std::int64_t kEarnAccounts = 1'000;
constexpr std::int64_t kEarnSalesPerAccount = 5;

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    Die(what, Status(StatusCode::kInternal, sqlite3_errmsg(db)));
  }
}

// One statement, prepared once like the library prepares its own.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    Check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
          sql);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Int(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Text(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Blob(int i, const void* data, int size) {
    sqlite3_bind_blob(stmt_, i, data, size, SQLITE_STATIC);
    return *this;
  }
  Stmt& Null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    Check(db_, rc, sqlite3_sql(stmt_));
    return rc == SQLITE_ROW;
  }
  void Run() {
    while (Step()) {
    }
    Reset();
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t ColInt(const Stmt& s, int c) { return sqlite3_column_int64(s.get(), c); }
std::string ColText(const Stmt& s, int c) {
  return {reinterpret_cast<const char*>(sqlite3_column_text(s.get(), c)),
          static_cast<size_t>(sqlite3_column_bytes(s.get(), c))};
}

// The earn written by hand against the library's own schema and file: the
// floor a loyalty ledger on SQLite cannot go below. Same PRAGMAs as the
// library (ledger/database.cpp), same transaction shape, and only what one
// earn must read and write:
//   BEGIN IMMEDIATE
//   operations lookup (idempotency)   card lookup     account read
//   open lots read                    chain head read
//   entry insert   lot insert   meta head upsert
//   sale line inserts (one per basket line: line-by-line returns need them)
//   account balance update            operations insert (the stored receipt)
//   COMMIT
// What it leaves out is exactly the library's overhead: HMACs (card hash,
// entry MAC, head tag), the rules engine, receipt JSON, and any extra reads.
class BareLedger {
 public:
  BareLedger(const std::string& path, bool durable) {
    Check(db_, sqlite3_open_v2(path.c_str(), &db_,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr),
          "open bare");
    // The library's PRAGMAs: one owner of the file, WAL.
    Check(db_, sqlite3_exec(db_, "PRAGMA locking_mode=EXCLUSIVE", nullptr, nullptr, nullptr),
          "locking_mode");
    Check(db_, sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr),
          "wal");
    Check(db_,
          sqlite3_exec(db_, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                       nullptr, nullptr, nullptr),
          "synchronous");
    Check(db_, sqlite3_exec(db_, "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr),
          "foreign_keys");
    st_ = std::make_unique<Statements>(db_);
    // The card hashes the library stored; the bare path looks cards up by
    // hash and does not hash (that is library work).
    Stmt cards(db_, "SELECT card_hash FROM cards ORDER BY rowid");
    while (cards.Step()) {
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(cards.get(), 0));
      card_hashes_.emplace_back(blob, static_cast<size_t>(sqlite3_column_bytes(cards.get(), 0)));
    }
  }
  ~BareLedger() {
    st_.reset();
    sqlite3_close_v2(db_);
  }

  std::int64_t cards() const { return static_cast<std::int64_t>(card_hashes_.size()); }

  void Earn(const std::string& op_id, std::int64_t card, const Basket& basket,
            std::int64_t now) {
    Statements& s = *st_;
    s.begin.Run();
    s.find_op.Text(1, op_id);
    if (s.find_op.Step()) Die("bare earn", Status(StatusCode::kInternal, "op_id reused"));
    s.find_op.Reset();

    const std::string& hash = card_hashes_[static_cast<size_t>(card)];
    s.find_card.Blob(1, hash.data(), static_cast<int>(hash.size()));
    if (!s.find_card.Step()) Die("bare earn", Status(StatusCode::kUnknownCard, "card"));
    const std::string account = ColText(s.find_card, 0);
    s.find_card.Reset();

    s.find_account.Text(1, account);
    s.find_account.Step();
    const std::int64_t balance = ColInt(s.find_account, 3);
    const std::int64_t debt = ColInt(s.find_account, 4);
    s.find_account.Reset();

    s.open_lots.Text(1, account);
    std::int64_t held = 0;
    while (s.open_lots.Step()) held += ColInt(s.open_lots, 2);
    s.open_lots.Reset();
    benchmark::DoNotOptimize(held);

    std::int64_t seq = 0;
    if (s.read_head.Step()) {
      const auto* head = static_cast<const unsigned char*>(sqlite3_column_blob(s.read_head.get(), 0));
      for (int i = 0; i < 8; ++i) seq = (seq << 8) | head[i];
    }
    s.read_head.Reset();
    ++seq;

    std::int64_t total = 0;
    for (const BasketLine& line : basket.lines) total += line.amount_minor;
    const std::int64_t points = total / 100;
    const std::string note =
        "1 point per 1.00 EUR: " + std::to_string(points) + " points";
    static const unsigned char kMac[72] = {1, 2, 3};  // stands in for MACs/tags
    s.insert_entry.Int(1, seq).Text(2, op_id).Text(3, kKindEarn).Text(4, account)
        .Int(5, points).Int(6, total).Text(7, kEur).Null(8).Int(9, now).Null(10)
        .Int(11, now).Text(12, note).Blob(13, kMac, 32).Null(14).Null(15);
    s.insert_entry.Run();
    s.insert_lot.Int(1, seq).Text(2, account).Int(3, points).Int(4, points).Int(5, now)
        .Int(6, now).Int(7, INT64_MAX);
    s.insert_lot.Run();
    unsigned char head[72];
    std::copy(std::begin(kMac), std::end(kMac), head);
    for (int i = 0; i < 8; ++i) head[i] = static_cast<unsigned char>(seq >> (56 - 8 * i));
    s.write_head.Blob(1, head, sizeof head);
    s.write_head.Run();
    for (size_t i = 0; i < basket.lines.size(); ++i) {
      const BasketLine& l = basket.lines[i];
      s.insert_line.Text(1, op_id).Int(2, static_cast<std::int64_t>(i)).Text(3, l.sku)
          .Text(4, l.category).Int(5, l.quantity).Int(6, l.amount_minor).Int(7, 0)
          .Int(8, l.amount_minor / 100).Int(9, 0).Int(10, 0);
      s.insert_line.Run();
    }
    s.update_account.Text(1, account).Int(2, balance + points).Int(3, debt);
    s.update_account.Run();
    const std::string receipt = R"({"op_id":")" + op_id + R"(","account_id":")" + account +
                                R"(","earned":)" + std::to_string(points) +
                                R"(,"balance":)" + std::to_string(balance + points) +
                                R"(,"entry_seqs":[)" + std::to_string(seq) + "]}";
    s.save_op.Text(1, op_id).Text(2, kKindSale).Blob(3, kMac, 32).Text(4, receipt);
    s.save_op.Run();
    s.commit.Run();
  }

 private:
  static inline const std::string kKindEarn = "earn";
  static inline const std::string kKindSale = "sale";
  static inline const std::string kEur = "EUR";

  // The SQL is the library's own (src/ledger/ledger.cpp, activity.cpp).
  struct Statements {
    explicit Statements(sqlite3* db)
        : begin(db, "BEGIN IMMEDIATE"),
          commit(db, "COMMIT"),
          find_op(db, "SELECT kind, digest, receipt FROM operations WHERE op_id = ?1"),
          find_card(db, "SELECT account_id, masked, blocked FROM cards WHERE card_hash = ?1"),
          find_account(db,
                       "SELECT account_id, name, created_at, balance, debt, birthday, "
                       "referred_by FROM accounts WHERE account_id = ?1"),
          open_lots(db,
                    "SELECT lot_id, points, remaining, earned_at, pending_until, expires_at "
                    "FROM lots WHERE account_id = ?1 AND remaining > 0"),
          read_head(db, "SELECT value FROM meta WHERE key = 'head'"),
          insert_entry(db,
                       "INSERT INTO entries(seq, op_id, kind, account_id, points, "
                       "amount_minor, currency, reverses_seq, pending_until, expires_at, at, "
                       "note, mac, units, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                       "?10, ?11, ?12, ?13, ?14, ?15)"),
          insert_lot(db,
                     "INSERT INTO lots(lot_id, account_id, points, remaining, earned_at, "
                     "pending_until, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
          write_head(db,
                     "INSERT INTO meta(key, value) VALUES ('head', ?1) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
          insert_line(db,
                      "INSERT INTO sale_lines(op_id, line_no, sku, category, quantity, "
                      "amount_minor, discount_minor, points, returned_qty, stamps) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
          update_account(db, "UPDATE accounts SET balance = ?2, debt = ?3 WHERE account_id = ?1"),
          save_op(db,
                  "INSERT INTO operations(op_id, kind, digest, receipt) "
                  "VALUES (?1, ?2, ?3, ?4)") {}
    Stmt begin, commit, find_op, find_card, find_account, open_lots, read_head, insert_entry,
        insert_lot, write_head, insert_line, update_account, save_op;
  };

  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> st_;
  std::vector<std::string> card_hashes_;
};

// Twin ledgers for one durability setting: the library's and the bare
// one's, populated identically through the Terminal (so the bare file has
// the library's exact schema and data), each earned on round-robin.
struct EarnFixture {
  explicit EarnFixture(bool durable) {
    for (const std::string& file : {lib_path, bare_path}) {
      PopulateLedger(file, BenchProgramPath(), kEarnAccounts, kEarnSalesPerAccount);
    }
    terminal = Must(Terminal::Open(BenchOptions(lib_path, BenchProgramPath(), &clock, &ids,
                                                durable)),
                    "open earn ledger");
    bare = std::make_unique<BareLedger>(bare_path, durable);
  }

  void LibraryEarn() {
    Checkout sale;
    sale.op_id = "bench-" + std::to_string(next_lib);
    sale.card = BenchCard(next_lib % kEarnAccounts);
    sale.basket = basket;
    auto receipt = terminal->Commit(sale);
    if (!receipt.ok() || receipt->earned != 12) Die("earn", receipt.status());
    ++next_lib;
  }

  void BareEarn() {
    bare->Earn("bench-" + std::to_string(next_bare), next_bare % bare->cards(), basket,
               kBenchNowMs);
    ++next_bare;
  }

  ScratchDir dir;
  std::string lib_path = dir.File("library.db");
  std::string bare_path = dir.File("bare.db");
  BenchClock clock;
  CountingIds ids;
  Basket basket = SmallBasket();
  std::unique_ptr<Terminal> terminal;
  std::unique_ptr<BareLedger> bare;
  std::int64_t next_lib = 0;
  std::int64_t next_bare = 0;
};

EarnFixture& Fixture(bool durable) {
  // Built on first use and kept: Google Benchmark calls a benchmark several
  // times while it sizes the iteration count.
  static std::map<bool, std::unique_ptr<EarnFixture>> fixtures;
  auto& slot = fixtures[durable];
  if (!slot) slot = std::make_unique<EarnFixture>(durable);
  return *slot;
}

void BM_Earn(benchmark::State& state, bool durable) {
  EarnFixture& f = Fixture(durable);
  for (auto _ : state) f.LibraryEarn();
}

void BM_BareEarn(benchmark::State& state, bool durable) {
  EarnFixture& f = Fixture(durable);
  for (auto _ : state) f.BareEarn();
}

// Library and bare earns alternate, one each per iteration, so both see the
// same disk weather (fsync latency drifts by tens of percent over seconds);
// the ratio counter is the least noisy figure of the three.
void BM_EarnInterleaved(benchmark::State& state, bool durable) {
  EarnFixture& f = Fixture(durable);
  using Clock = std::chrono::steady_clock;
  Clock::duration lib{};
  Clock::duration bare{};
  for (auto _ : state) {
    const auto t0 = Clock::now();
    f.LibraryEarn();
    const auto t1 = Clock::now();
    f.BareEarn();
    lib += t1 - t0;
    bare += Clock::now() - t1;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["lib_us"] = std::chrono::duration<double, std::micro>(lib).count() / n;
  state.counters["bare_us"] = std::chrono::duration<double, std::micro>(bare).count() / n;
  state.counters["ratio"] = static_cast<double>(lib.count()) / static_cast<double>(bare.count());
}

}  // namespace

void RegisterEarnBenchmarks() {
  // Durable earns cost a disk flush each (milliseconds): 2 s of each.
  for (const bool durable : {true, false}) {
    const std::string mode = durable ? "/durable" : "/sync_normal";
    const double min_time = durable ? 2.0 : 1.0;
    benchmark::RegisterBenchmark(("Earn" + mode).c_str(), BM_Earn, durable)
        ->Unit(benchmark::kMicrosecond)->MinTime(min_time);
    benchmark::RegisterBenchmark(("BareSqliteEarn" + mode).c_str(), BM_BareEarn, durable)
        ->Unit(benchmark::kMicrosecond)->MinTime(min_time);
    benchmark::RegisterBenchmark(("EarnInterleaved" + mode).c_str(), BM_EarnInterleaved,
                                 durable)
        ->Unit(benchmark::kMicrosecond)->MinTime(min_time);
  }
}

}  // namespace loyalty::bench
