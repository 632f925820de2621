// Test support: a fake clock, scratch folders and a ready Terminal.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "loyalty/loyalty.hpp"

namespace loyalty::testing {

// A clock the test moves by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'767'225'600'000)  // 2026-01-01
      : now_ms_(start_ms) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::milliseconds(now_ms_.load()));
  }
  void AdvanceDays(int days) { now_ms_ += std::int64_t{days} * 86'400'000; }
  void AdvanceMs(std::int64_t ms) { now_ms_ += ms; }
  void SetMs(std::int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

// A fresh folder removed at the end of the test.
class ScratchDir {
 public:
  // Under `parent` (the system's temporary folder by default).
  explicit ScratchDir(
      const std::filesystem::path& parent = std::filesystem::temp_directory_path());
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string WriteFile(const std::string& path, const std::string& text);

// A program: 1 point per 1.00 EUR, rounding down, unless overridden.
std::string DefaultProgramJson(const std::string& extra_fields = "");

inline const std::string kTestKey = "0123456789abcdef0123456789abcdef-test-key";

// A Terminal on a scratch ledger with the fake clock.
struct TestTerminal {
  explicit TestTerminal(const std::string& program_json = DefaultProgramJson());
  Options options;
  ScratchDir dir;
  FakeClock clock;
  std::unique_ptr<Terminal> terminal;

  Terminal* operator->() { return terminal.get(); }
  void Reopen();
  void Close() { terminal.reset(); }
};

CardId Card(const std::string& number);
Basket Eur(std::initializer_list<std::int64_t> line_amounts_minor);

}  // namespace loyalty::testing
