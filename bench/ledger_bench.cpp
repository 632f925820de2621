// The 1,000,000-entry ledger: opening it, verifying its hash chain, and the
// floors Verify() is compared with: bare HMAC-SHA256 over the same bytes,
// and a bare SQLite scan of the same rows.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sqlite3.h>

#include <array>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "benchmarks.hpp"

namespace loyalty::bench {
namespace {

// The bytes Chain::EntryMac (src/ledger/chain.cpp) feeds HMAC per entry,
// besides its variable-length text: the domain tag (16), previous MAC with
// its length (40), seq, points, amount, at (4 x 8), length prefixes of op_id,
// kind, account_id, currency and note (5 x 8), three optionals (3 x 9).
constexpr std::int64_t kFixedMacBytes = 16 + 40 + 4 * 8 + 5 * 8 + 3 * 9;

struct MacVolume {
  std::int64_t entries = 0;
  std::int64_t bytes = 0;  // total bytes HMAC'd by Verify for the entries
};

// Measured on the file, so the floor hashes exactly what Verify hashes.
const MacVolume& BigLedgerMacVolume() {
  static const MacVolume volume = [] {
    MacVolume v;
    sqlite3* db = nullptr;
    sqlite3_open_v2(BareCopy(BigLedgerPath()).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    const char* sql =
        "SELECT count(*), SUM(length(CAST(op_id AS BLOB)) + length(CAST(kind AS BLOB)) + "
        "length(CAST(account_id AS BLOB)) + length(CAST(currency AS BLOB)) + "
        "length(CAST(note AS BLOB)) + CASE WHEN units IS NOT NULL OR ref IS NOT NULL "
        "THEN 37 + length(CAST(COALESCE(ref, '') AS BLOB)) ELSE 0 END) FROM entries";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW) {
      Die("mac volume", Status(StatusCode::kInternal, sqlite3_errmsg(db)));
    }
    v.entries = sqlite3_column_int64(stmt, 0);
    v.bytes = sqlite3_column_int64(stmt, 1) + v.entries * kFixedMacBytes;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
  }();
  return volume;
}

void BM_Open(benchmark::State& state) {
  // The shared terminal holds the file's lock: a second Open would fail.
  CloseBigTerminal();
  BenchClock clock;
  const Options options =
      BenchOptions(BigLedgerPath(), BenchProgramPath(), &clock, nullptr, /*durable=*/true);
  for (auto _ : state) {
    auto terminal = Must(Terminal::Open(options), "open");
    benchmark::DoNotOptimize(terminal.get());
    state.PauseTiming();  // closing is not opening
    terminal.reset();
    state.ResumeTiming();
  }
}

void BM_Verify(benchmark::State& state) {
  Terminal& terminal = BigTerminal();
  for (auto _ : state) {
    auto report = terminal.Verify();
    if (!report.ok()) Die("verify", report.status());
    // The customers' entries and the program entry.
    if (!report->ok || report->entries_checked != kBigLedgerEntries + 1) {
      Die("verify", Status(StatusCode::kTampered, report->problem));
    }
  }
  state.counters["entries"] = static_cast<double>(kBigLedgerEntries);
}

// HMAC-SHA256 through EVP_MAC, re-keyed per message the way a careful
// implementation (and the library's Mac) does, each message chained on the
// previous MAC like the ledger: the cost of the cryptography alone.
void BM_HmacFloor(benchmark::State& state) {
  const MacVolume& volume = BigLedgerMacVolume();
  const auto size = static_cast<size_t>(volume.bytes / volume.entries);
  std::vector<unsigned char> message(size, 'x');
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(kBenchKey.data()), kBenchKey.size(),
               params);
  std::array<unsigned char, 32> out{};
  for (auto _ : state) {
    for (std::int64_t i = 0; i < volume.entries; ++i) {
      std::copy(out.begin(), out.end(), message.begin() + 24);  // the previous MAC
      size_t length = 0;
      EVP_MAC_init(ctx, nullptr, 0, nullptr);
      EVP_MAC_update(ctx, message.data(), message.size());
      EVP_MAC_final(ctx, out.data(), &length, out.size());
    }
    benchmark::DoNotOptimize(out.data());
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  state.counters["entries"] = static_cast<double>(volume.entries);
  state.counters["bytes_per_entry"] = static_cast<double>(size);
}

// The same rows read by a bare SQLite scan with Verify's own SELECT, every
// column touched but nothing copied: the I/O and decoding floor.
void BM_SqliteScanFloor(benchmark::State& state) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(BareCopy(BigLedgerPath()).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT seq, op_id, kind, account_id, points, amount_minor, currency, "
                     "reverses_seq, pending_until, expires_at, at, note, mac, units, ref "
                     "FROM entries ORDER BY seq",
                     -1, &stmt, nullptr);
  for (auto _ : state) {
    std::int64_t rows = 0;
    std::int64_t sum = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      ++rows;
      for (int c = 0; c < 15; ++c) {
        if (c == 12) {
          benchmark::DoNotOptimize(sqlite3_column_blob(stmt, c));
        } else if (sqlite3_column_type(stmt, c) == SQLITE_TEXT) {
          benchmark::DoNotOptimize(sqlite3_column_text(stmt, c));
        } else {
          sum += sqlite3_column_int64(stmt, c);
        }
        sum += sqlite3_column_bytes(stmt, c);
      }
    }
    sqlite3_reset(stmt);
    benchmark::DoNotOptimize(sum);
    if (rows != kBigLedgerEntries + 1) {
      Die("scan", Status(StatusCode::kInternal, "rows " + std::to_string(rows)));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace

void RegisterLedgerBenchmarks() {
  benchmark::RegisterBenchmark("Open/1M_ledger", BM_Open)->Unit(benchmark::kMillisecond);
  // Seconds each: a fixed two passes keep the whole run within minutes.
  benchmark::RegisterBenchmark("Verify/1M_ledger", BM_Verify)
      ->Unit(benchmark::kMillisecond)->Iterations(2);
  benchmark::RegisterBenchmark("HmacFloor/1M_entries", BM_HmacFloor)
      ->Unit(benchmark::kMillisecond)->Iterations(2);
  benchmark::RegisterBenchmark("SqliteScanFloor/1M_entries", BM_SqliteScanFloor)
      ->Unit(benchmark::kMillisecond)->Iterations(2);
}

}  // namespace loyalty::bench
