// Shared pieces of the benchmarks: a settable fake clock, deterministic
// account ids, scratch directories on the real disk, the program file, and
// the cached 1,000,000-entry ledger.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "loyalty/terminal.hpp"

namespace loyalty::bench {

// The instant every benchmark runs "at" (2026-03-10 12:00:00 UTC): a fixed
// time keeps expiry, pending windows and segments identical run to run.
inline constexpr std::int64_t kBenchNowMs = 1'773'144'000'000;

// 32+ bytes of terminal key; the cached ledger is only valid under it.
inline constexpr std::string_view kBenchKey = "bench-terminal-key-0123456789abcdef";

// A clock the benchmark sets; reads are atomic because the library may read
// it from any thread that calls it.
class BenchClock final : public Clock {
 public:
  explicit BenchClock(std::int64_t now_ms = kBenchNowMs) : now_ms_(now_ms) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::milliseconds(now_ms_.load(std::memory_order_relaxed)));
  }
  void Set(std::int64_t now_ms) { now_ms_.store(now_ms, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

// Account ids 0000000000000001, 0000000000000002, ...: files built twice
// come out the same, so the library file and the bare-SQLite file match.
class CountingIds final : public IdSource {
 public:
  std::string NewId() override;

 private:
  std::atomic<std::uint64_t> next_{1};
};

// A fresh directory under $TMPDIR (/tmp: ext4 on this machine, so fsync is
// a real disk flush), removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes the bench program (1 point per 1.00 EUR, no tiers, rewards or
// stamps: the plainest earn) to `path` and returns `path`.
std::string WriteProgram(const std::string& path);

// Options for a bench terminal; `durable` selects synchronous=FULL.
Options BenchOptions(const std::string& database_path, const std::string& program_path,
                     const Clock* clock, IdSource* ids, bool durable);

// Loyalty card number i: "LC" + 10 digits, so never a Luhn payment number.
CardId BenchCard(std::int64_t i);

// A small basket: two lines, 12.34 EUR in total.
Basket SmallBasket();

// Stops the benchmark binary with the status: a bench that silently
// measures an error path would report nonsense.
[[noreturn]] void Die(std::string_view what, const Status& status);

template <typename T>
T Must(Result<T> result, std::string_view what) {
  if (!result.ok()) Die(what, result.status());
  return std::move(result).value();
}

// Opens (creating) a ledger at `database_path` and enrolls `accounts`
// cards, then gives every account `sales_per_account` sales, round-robin;
// with synchronous=NORMAL, since only the measured part needs durability.
// A copy of a closed ledger for the bare-SQLite readers: an open Terminal
// holds its file exclusively, so they read the copy (same bytes, same
// pages). Made when the ledger is built; returns the copy's path.
std::string BareCopy(const std::string& database_path, bool refresh = false);

void PopulateLedger(const std::string& database_path, const std::string& program_path,
                    std::int64_t accounts, std::int64_t sales_per_account);

// The cached ledger of exactly kBigLedgerEntries entries: 10,000 accounts,
// each one enrolment and 99 sales, over ~14 months of fake time. Built once
// through the Terminal API (a few minutes) into $TMPDIR and reused while
// present; rebuilt when its name's version changes.
inline constexpr std::int64_t kBigLedgerAccounts = 10'000;
inline constexpr std::int64_t kBigLedgerEntries = 1'000'000;
const std::string& BigLedgerPath();

// One terminal on the big ledger shared by the read benchmarks (a second
// Open of the file would be refused). CloseBigTerminal() lets the Open
// benchmark open the file itself.
Terminal& BigTerminal();
void CloseBigTerminal();
// The program file the big terminal uses (lives as long as the process).
const std::string& BenchProgramPath();

}  // namespace loyalty::bench
