#include "bench_support.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

namespace loyalty::bench {
namespace {

// Fake time advances this much per operation while a ledger is populated,
// so entries carry distinct, realistic times (1M operations ≈ 14 months)
// and all of them lie before kBenchNowMs.
constexpr std::int64_t kStepMs = 36'000;

// Bump when the program, the key or the build recipe changes: the cached
// file is then rebuilt instead of silently measuring an older shape.
// v2: the ledger's first entry records its program (issue 18).
constexpr const char* kBigLedgerName = "loyalty-bench-1m-v2.db";

std::int64_t CountEntries(const std::string& path) {
  sqlite3* db = nullptr;
  std::int64_t count = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    // The customers' entries: the program entry is not one of them.
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM entries WHERE account_id <> ''", -1,
                           &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return count;
}

void RemoveLedgerFiles(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

std::string BuildBigLedger() {
  const std::string dir = std::filesystem::temp_directory_path().string();
  const std::string path = dir + "/" + kBigLedgerName;
  if (std::filesystem::exists(path) && CountEntries(path) == kBigLedgerEntries) {
    BareCopy(path, /*refresh=*/true);
    return path;
  }
  RemoveLedgerFiles(path);
  // Built under another name and renamed when complete, so an interrupted
  // build is never mistaken for the cached ledger.
  const std::string building = path + ".building";
  RemoveLedgerFiles(building);
  std::fprintf(stderr,
               "building the %lld-entry ledger once (through the Terminal API, "
               "synchronous=NORMAL) into %s ...\n",
               static_cast<long long>(kBigLedgerEntries), path.c_str());
  const auto started = std::chrono::steady_clock::now();
  PopulateLedger(building, BenchProgramPath(), kBigLedgerAccounts,
                 kBigLedgerEntries / kBigLedgerAccounts - 1);
  const std::int64_t built = CountEntries(building);
  if (built != kBigLedgerEntries) {
    Die("big ledger", Status(StatusCode::kInternal,
                             "built " + std::to_string(built) + " entries"));
  }
  std::filesystem::rename(building, path);
  RemoveLedgerFiles(building);
  BareCopy(path, /*refresh=*/true);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "built in %.0f s\n", seconds);
  return path;
}

std::unique_ptr<Terminal>& BigTerminalSlot() {
  static std::unique_ptr<Terminal> terminal;
  return terminal;
}

BenchClock& FixedClock() {
  static BenchClock clock;
  return clock;
}

}  // namespace

std::string CountingIds::NewId() {
  char id[17];
  std::snprintf(id, sizeof id, "%016llX",
                static_cast<unsigned long long>(next_.fetch_add(1)));
  return id;
}

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("loyalty-bench-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string WriteProgram(const std::string& path) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << R"({"format": 1, "id": "bench", "version": 1, "name": "Bench Rewards",)"
         R"( "currency": "EUR", "earn": {"points": 1, "per": "1.00"}})";
  return path;
}

Options BenchOptions(const std::string& database_path, const std::string& program_path,
                     const Clock* clock, IdSource* ids, bool durable) {
  Options options;
  options.database_path = database_path;
  options.terminal_id = "bench-till-1";
  options.store_id = "bench-store";
  options.terminal_key = std::string(kBenchKey);
  options.program_path = program_path;
  options.synchronous_full = durable;
  options.clock = clock;
  options.ids = ids;
  return options;
}

CardId BenchCard(std::int64_t i) {
  char number[16];
  std::snprintf(number, sizeof number, "LC%010lld", static_cast<long long>(i));
  return Must(CardId::Parse(number), "card number");
}

Basket SmallBasket() {
  Basket basket;
  basket.currency = "EUR";
  basket.lines.push_back({"4006381333931", "grocery", 1, 734, false});
  basket.lines.push_back({"5449000000996", "drinks", 2, 500, false});
  return basket;
}

void Die(std::string_view what, const Status& status) {
  std::fprintf(stderr, "bench: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               status.ToString().c_str());
  std::exit(1);
}

void PopulateLedger(const std::string& database_path, const std::string& program_path,
                    std::int64_t accounts, std::int64_t sales_per_account) {
  const std::int64_t operations = accounts * (1 + sales_per_account);
  BenchClock clock(kBenchNowMs - (operations + 100) * kStepMs);
  CountingIds ids;
  auto terminal = Must(Terminal::Open(BenchOptions(database_path, program_path, &clock, &ids,
                                                   /*durable=*/false)),
                       "open for populate");
  const auto tick = [&clock] {
    clock.Set(clock.Now().time_since_epoch().count() + kStepMs);
  };
  const auto started = std::chrono::steady_clock::now();
  std::int64_t done = 0;
  const auto progress = [&] {
    if (operations < 100'000 || ++done % 100'000 != 0) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "  %lld / %lld operations, %.0f s\n", static_cast<long long>(done),
                 static_cast<long long>(operations), seconds);
  };
  for (std::int64_t a = 0; a < accounts; ++a) {
    Enrollment enroll;
    enroll.op_id = "enroll-" + std::to_string(a);
    enroll.card = BenchCard(a);
    enroll.name = "Customer " + std::to_string(a);
    Must(terminal->Enroll(enroll), "enroll");
    tick();
    progress();
  }
  const Basket basket = SmallBasket();
  for (std::int64_t k = 0; k < sales_per_account; ++k) {
    for (std::int64_t a = 0; a < accounts; ++a) {
      Checkout sale;
      sale.op_id = "sale-" + std::to_string(a) + "-" + std::to_string(k);
      sale.card = BenchCard(a);
      sale.basket = basket;
      Must(terminal->Commit(sale), "populate commit");
      tick();
      progress();
    }
  }
}

const std::string& BenchProgramPath() {
  static const ScratchDir dir;
  static const std::string path = WriteProgram(dir.File("program.json"));
  return path;
}

std::string BareCopy(const std::string& database_path, bool refresh) {
  const std::string copy = database_path + ".bare";
  if (refresh || !std::filesystem::exists(copy)) {
    std::filesystem::copy_file(database_path, copy,
                               std::filesystem::copy_options::overwrite_existing);
  }
  return copy;
}

const std::string& BigLedgerPath() {
  static const std::string path = BuildBigLedger();
  return path;
}

Terminal& BigTerminal() {
  auto& slot = BigTerminalSlot();
  if (!slot) {
    slot = Must(Terminal::Open(BenchOptions(BigLedgerPath(), BenchProgramPath(),
                                            &FixedClock(), nullptr, /*durable=*/true)),
                "open big ledger");
  }
  return *slot;
}

void CloseBigTerminal() { BigTerminalSlot().reset(); }

}  // namespace loyalty::bench
