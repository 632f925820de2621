// Small helpers the reader tests share: a scratch folder, a stopwatch and a
// log that remembers what the reader said.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/env.hpp"
#include "loyalty/reader.hpp"

namespace loyalty::readers::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "loyalty-readers-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class Stopwatch {
 public:
  long long ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// A pseudo-terminal whose slave side a serial reader opens as it would
// /dev/ttyUSB0; the test writes the reader's bytes to the master side.
class Pty {
 public:
  Pty() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ >= 0 && ::grantpt(master_) == 0 && ::unlockpt(master_) == 0) {
      path_ = ::ptsname(master_);
    }
  }
  ~Pty() { Close(); }
  // The device goes away (an unplugged USB-serial adapter).
  void Close() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
  }
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  bool Write(std::string_view bytes) const {
    return ::write(master_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  }

 private:
  int master_ = -1;
  std::string path_;
};

// A wait of up to 20 s that another thread cancels about 100 ms after it was
// asked to wait. A cancel is kept for the next wait when none is in progress,
// so the outcome does not depend on which thread runs first; only a cancel
// that is not honoured at all takes longer than the 10 s safety limit.
inline Result<CardRead> WaitCancelledFromAnotherThread(CardReader& reader) {
  using namespace std::chrono_literals;
  std::thread canceller([&reader] {
    std::this_thread::sleep_for(100ms);
    reader.Cancel();
  });
  Stopwatch watch;
  auto read = reader.WaitForCard(20s);
  const long long took = watch.ms();
  canceller.join();
  EXPECT_LT(took, 10'000) << "the cancel was not honoured (safety limit, not a speed test)";
  return read;
}

// How many lines of the log contain `text`.
inline int CountLines(const std::string& log, std::string_view text) {
  int count = 0;
  for (std::size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) {
    ++count;
  }
  return count;
}

// A LogFn that keeps every line, for checking what reaches the POS's log.
class LogCapture {
 public:
  LogFn fn() {
    return [this](LogLevel, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    };
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& line : lines_) text += line + "\n";
    return text;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace loyalty::readers::testing
