// What a swipe costs: Terminal::Lookup (balance and view), and the 50 most
// recent entries of an account (Terminal::History).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "benchmarks.hpp"

namespace loyalty::bench {
namespace {

// A small till ledger: 1,000 accounts with 5 sales each.
constexpr std::int64_t kSmallAccounts = 1'000;
constexpr std::int64_t kSmallSalesPerAccount = 5;

struct SmallLedger {
  SmallLedger() {
    PopulateLedger(path, BenchProgramPath(), kSmallAccounts, kSmallSalesPerAccount);
    BareCopy(path, /*refresh=*/true);
    terminal = Must(Terminal::Open(BenchOptions(path, BenchProgramPath(), &clock, nullptr,
                                                /*durable=*/true)),
                    "open small ledger");
  }
  ScratchDir dir;
  std::string path = dir.File("small.db");
  BenchClock clock;
  std::unique_ptr<Terminal> terminal;
};

SmallLedger& Small() {
  static SmallLedger ledger;
  return ledger;
}
Terminal& SmallTerminal() { return *Small().terminal; }
const std::string& SmallLedgerPath() { return Small().path; }

// Cards are taken round-robin so the figure is not one hot row's.
void Lookups(benchmark::State& state, Terminal& terminal, std::int64_t accounts) {
  std::vector<CardId> cards;
  for (std::int64_t i = 0; i < accounts; ++i) cards.push_back(BenchCard(i));
  size_t next = 0;
  for (auto _ : state) {
    auto view = terminal.Lookup(cards[next]);
    if (!view.ok()) Die("lookup", view.status());
    benchmark::DoNotOptimize(view->available);
    if (++next == cards.size()) next = 0;
  }
}

// Terminal::Balance: the points of a card (what a screen refreshes), one
// card after another so no row stays hot.
void Balances(benchmark::State& state, Terminal& terminal, std::int64_t accounts) {
  std::vector<CardId> cards;
  for (std::int64_t i = 0; i < accounts; ++i) cards.push_back(BenchCard(i));
  size_t next = 0;
  for (auto _ : state) {
    auto balance = terminal.Balance(cards[next]);
    if (!balance.ok()) Die("balance", balance.status());
    benchmark::DoNotOptimize(balance->available);
    if (++next == cards.size()) next = 0;
  }
}

void BM_BalanceSmall(benchmark::State& state) {
  Balances(state, SmallTerminal(), kSmallAccounts);
}

void BM_BalanceBig(benchmark::State& state) {
  Balances(state, BigTerminal(), kBigLedgerAccounts);
}

void BM_LookupSmall(benchmark::State& state) {
  Lookups(state, SmallTerminal(), kSmallAccounts);
}

void BM_LookupBig(benchmark::State& state) {
  Lookups(state, BigTerminal(), kBigLedgerAccounts);
}

void BM_History50Big(benchmark::State& state) {
  Terminal& terminal = BigTerminal();
  std::vector<CardId> cards;
  for (std::int64_t i = 0; i < kBigLedgerAccounts; ++i) cards.push_back(BenchCard(i));
  size_t next = 0;
  for (auto _ : state) {
    auto history = terminal.History(cards[next], 50);
    if (!history.ok()) Die("history", history.status());
    if (history->size() != 50) {
      Die("history", Status(StatusCode::kInternal,
                            "got " + std::to_string(history->size()) + " entries"));
    }
    benchmark::DoNotOptimize(history->data());
    if (++next == cards.size()) next = 0;
  }
}

// The floor under a swipe: the same reads by hand on a second connection to
// a copy of the same file, with the library's own SQL (src/ledger/ledger.cpp) and
// nothing else: the card by its stored hash (no HMAC), the account row with
// its cached balance, the open lots (available and pending are sums of
// them); and for history, the card and the 50 newest entries into
// HistoryEntry values.
class BareReader {
 public:
  explicit BareReader(const std::string& path) {
    sqlite3_open_v2(BareCopy(path).c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                    nullptr);
    find_card_ = Prepare("SELECT account_id, masked, blocked FROM cards WHERE card_hash = ?1");
    find_account_ = Prepare(
        "SELECT account_id, name, created_at, balance, debt, birthday, referred_by "
        "FROM accounts WHERE account_id = ?1");
    open_lots_ = Prepare(
        "SELECT lot_id, points, remaining, earned_at, pending_until, expires_at "
        "FROM lots WHERE account_id = ?1 AND remaining > 0");
    history_ = Prepare(
        "SELECT seq, at, op_id, kind, points, amount_minor, currency, reverses_seq, "
        "note, COALESCE(units, 0), COALESCE(ref, '') FROM entries WHERE account_id = ?1 "
        "ORDER BY seq DESC LIMIT ?2");
    sqlite3_stmt* cards = Prepare("SELECT card_hash FROM cards ORDER BY rowid");
    while (sqlite3_step(cards) == SQLITE_ROW) {
      hashes_.emplace_back(static_cast<const char*>(sqlite3_column_blob(cards, 0)),
                           static_cast<size_t>(sqlite3_column_bytes(cards, 0)));
    }
    sqlite3_finalize(cards);
  }
  ~BareReader() {
    for (sqlite3_stmt* s : {find_card_, find_account_, open_lots_, history_}) {
      sqlite3_finalize(s);
    }
    sqlite3_close_v2(db_);
  }
  BareReader(const BareReader&) = delete;
  BareReader& operator=(const BareReader&) = delete;

  size_t cards() const { return hashes_.size(); }

  CardView Lookup(size_t card) {
    CardView view;
    if (!FindCard(card, view)) Die("bare lookup", Status(StatusCode::kUnknownCard, "card"));
    sqlite3_bind_text(find_account_, 1, view.account_id.data(),
                      static_cast<int>(view.account_id.size()), SQLITE_STATIC);
    if (sqlite3_step(find_account_) == SQLITE_ROW) {
      view.name = Text(find_account_, 1);
      view.balance = sqlite3_column_int64(find_account_, 3);
      view.available = -sqlite3_column_int64(find_account_, 4);  // less debt
    }
    sqlite3_reset(find_account_);
    sqlite3_bind_text(open_lots_, 1, view.account_id.data(),
                      static_cast<int>(view.account_id.size()), SQLITE_STATIC);
    while (sqlite3_step(open_lots_) == SQLITE_ROW) {
      const std::int64_t remaining = sqlite3_column_int64(open_lots_, 2);
      const bool pending = sqlite3_column_int64(open_lots_, 4) > kBenchNowMs;
      const bool expired = sqlite3_column_int64(open_lots_, 5) <= kBenchNowMs;
      if (pending) {
        view.pending += remaining;
      } else if (!expired) {
        view.available += remaining;
      }
    }
    sqlite3_reset(open_lots_);
    return view;
  }

  std::vector<HistoryEntry> History(size_t card, int limit) {
    CardView view;
    if (!FindCard(card, view)) Die("bare history", Status(StatusCode::kUnknownCard, "card"));
    std::vector<HistoryEntry> out;
    sqlite3_bind_text(history_, 1, view.account_id.data(),
                      static_cast<int>(view.account_id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(history_, 2, limit);
    while (sqlite3_step(history_) == SQLITE_ROW) {
      HistoryEntry h;
      h.seq = sqlite3_column_int64(history_, 0);
      h.at = Timestamp(std::chrono::milliseconds(sqlite3_column_int64(history_, 1)));
      h.op_id = Text(history_, 2);
      h.kind = Text(history_, 3) == "earn" ? EntryKind::kEarn : EntryKind::kEnroll;
      h.points = sqlite3_column_int64(history_, 4);
      h.amount_minor = sqlite3_column_int64(history_, 5);
      h.currency = Text(history_, 6);
      if (sqlite3_column_type(history_, 7) != SQLITE_NULL) {
        h.reverses_seq = sqlite3_column_int64(history_, 7);
      }
      h.note = Text(history_, 8);
      h.stamps = sqlite3_column_int64(history_, 9);
      h.stamp_card = Text(history_, 10);
      out.push_back(std::move(h));
    }
    sqlite3_reset(history_);
    return out;
  }

 private:
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      Die("bare reader", Status(StatusCode::kInternal, sqlite3_errmsg(db_)));
    }
    return stmt;
  }
  static std::string Text(sqlite3_stmt* s, int c) {
    const auto* text = sqlite3_column_text(s, c);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<size_t>(sqlite3_column_bytes(s, c)))
                : std::string();
  }
  bool FindCard(size_t card, CardView& view) {
    const std::string& hash = hashes_[card];
    sqlite3_bind_blob(find_card_, 1, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
    const bool found = sqlite3_step(find_card_) == SQLITE_ROW;
    if (found) {
      view.account_id = Text(find_card_, 0);
      view.card_masked = Text(find_card_, 1);
      view.blocked = sqlite3_column_int64(find_card_, 2) != 0;
    }
    sqlite3_reset(find_card_);
    return found;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* find_card_ = nullptr;
  sqlite3_stmt* find_account_ = nullptr;
  sqlite3_stmt* open_lots_ = nullptr;
  sqlite3_stmt* history_ = nullptr;
  std::vector<std::string> hashes_;
};

void BareLookups(benchmark::State& state, const std::string& path) {
  BareReader reader(path);
  size_t next = 0;
  for (auto _ : state) {
    CardView view = reader.Lookup(next);
    benchmark::DoNotOptimize(view.available);
    if (++next == reader.cards()) next = 0;
  }
}

void BM_BareLookupSmall(benchmark::State& state) {
  BareLookups(state, SmallLedgerPath());
}

void BM_BareLookupBig(benchmark::State& state) { BareLookups(state, BigLedgerPath()); }

void BM_BareHistory50Big(benchmark::State& state) {
  BareReader reader(BigLedgerPath());
  size_t next = 0;
  for (auto _ : state) {
    auto history = reader.History(next, 50);
    if (history.size() != 50) Die("bare history", Status(StatusCode::kInternal, "size"));
    benchmark::DoNotOptimize(history.data());
    if (++next == reader.cards()) next = 0;
  }
}

}  // namespace

void RegisterReadBenchmarks() {
  benchmark::RegisterBenchmark("Balance/small_ledger", BM_BalanceSmall)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Balance/1M_ledger", BM_BalanceBig)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Lookup/small_ledger", BM_LookupSmall)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BareSqliteLookup/small_ledger", BM_BareLookupSmall)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Lookup/1M_ledger", BM_LookupBig)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BareSqliteLookup/1M_ledger", BM_BareLookupBig)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("History50/1M_ledger", BM_History50Big)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BareSqliteHistory50/1M_ledger", BM_BareHistory50Big)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace loyalty::bench
