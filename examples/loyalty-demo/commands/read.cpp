// loyalty-demo read: wait for cards on a reader and show each account as the
// till would, until --count cards were shown, the wait times out or Ctrl-C.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "commands/command.hpp"
#include "exit_codes.hpp"
#include "loyalty/reader.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

namespace {

struct ReadSettings {
  std::string reader = "sim:";
  int count = 1;  // 0: until Ctrl-C
  int timeout_ms = 30'000;
};

// Ctrl-C or SIGTERM cancels the wait instead of killing the till mid-read:
// the signals are taken by a thread of their own (sigtimedwait), never by
// a handler, so Cancel() runs in an ordinary thread. A cancel is never lost
// (a reader keeps it for its next wait), so this stops the till in any
// reader state, also while the reader is gone and being reopened.
class CancelOnSignal {
 public:
  explicit CancelOnSignal(loyalty::CardReader& reader) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    watcher_ = std::thread([this, &reader] {
      const timespec tick{0, 100'000'000};
      while (!done_) {
        if (sigtimedwait(&signals_, nullptr, &tick) > 0) {
          {
            std::lock_guard lock(mutex_);
            interrupted_ = true;
          }
          woken_.notify_all();
          reader.Cancel();
        }
      }
    });
  }
  ~CancelOnSignal() {
    done_ = true;
    watcher_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  bool interrupted() const { return interrupted_; }
  // Pauses for `duration` unless a signal came; true when one did.
  bool SleepUnlessInterrupted(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return woken_.wait_for(lock, duration, [this] { return interrupted_.load(); });
  }

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::atomic<bool> interrupted_{false};
  std::mutex mutex_;
  std::condition_variable woken_;
  std::thread watcher_;
};

loyalty::Status ReadCards(const ReadSettings& settings, const TillSettings& till_settings) {
  auto till = OpenTill(till_settings);
  if (!till.ok()) return till.status();
  loyalty::ReaderOptions options;
  options.log = [](loyalty::LogLevel level, std::string_view message) {
    if (level >= loyalty::LogLevel::kWarning) std::cerr << "reader: " << message << '\n';
  };
  auto reader = loyalty::OpenReader(settings.reader, options);
  if (!reader.ok()) return reader.status();
  if (loyalty::Status s = (*reader)->Start(); !s.ok()) return s;
  CancelOnSignal cancel(**reader);
  if (!till_settings.json) {
    std::cout << "waiting for a card on " << (*reader)->Describe() << " ...\n" << std::flush;
  }
  int shown = 0;
  bool gone = false;
  while (settings.count == 0 || shown < settings.count) {
    auto read = (*reader)->WaitForCard(std::chrono::milliseconds(settings.timeout_ms));
    if (!read.ok()) {
      if (read.status().code() == loyalty::StatusCode::kCancelled && cancel.interrupted()) {
        if (!till_settings.json) std::cout << "stopped\n";
        return loyalty::Status::Ok();
      }
      if (read.status().code() == loyalty::StatusCode::kDeviceGone) {
        // Unplugged: say so once (flushed: a log file shows it now, not
        // with the next card) and try to reopen it twice a second.
        if (!gone) {
          Show(till_settings, ErrorJson(read.status(), ExitCodeFor(read.status().code())),
               [&](std::ostream& out) {
                 out << "reader gone: " << read.status().message() << "; reconnecting\n";
               });
        }
        gone = true;
        if (!cancel.SleepUnlessInterrupted(std::chrono::milliseconds(500)) &&
            (*reader)->Start().ok()) {
          if (!till_settings.json) {
            std::cout << "reader back: " << (*reader)->Describe() << "\n" << std::flush;
          }
          gone = false;
        }
        continue;  // after a signal, the next wait says kCancelled
      }
      return read.status();
    }
    if (!read->status.ok()) {
      Show(till_settings, ErrorJson(read->status, ExitCodeFor(read->status.code())),
           [&](std::ostream& out) { out << "bad read: " << read->status.message() << "\n"; });
      continue;
    }
    ++shown;
    Show(till_settings, CardReadJson(*read), [&](std::ostream& out) {
      out << "card " << read->card.Masked() << " (" << loyalty::CardSourceName(read->source)
          << ")\n";
    });
    auto view = till->terminal->Identify(*read);
    if (!view.ok()) {
      Show(till_settings, ErrorJson(view.status(), ExitCodeFor(view.status().code())),
           [&](std::ostream& out) { out << "  " << view.status().ToString() << "\n"; });
      continue;
    }
    Show(till_settings, CardJson(*view),
         [&](std::ostream& out) { PrintCard(out, *view, till->currency); });
  }
  return loyalty::Status::Ok();
}

}  // namespace

Command AddReadCommand(CLI::App& parent, const TillSettings& till) {
  auto settings = std::make_shared<ReadSettings>();
  CLI::App* app = parent.add_subcommand(
      "read", "Wait for a card on a reader and show the account (Ctrl-C stops)");
  app->add_option("--reader", settings->reader,
                  "Connection string: sim:cards=A,B, magstripe-serial:/dev/ttyUSB0, "
                  "magstripe-evdev:/dev/input/event3?grab=1, pn532_uart:/dev/ttyUSB0, "
                  "pcsc: (docs/readers.md)")
      ->capture_default_str();
  app->add_option("--count", settings->count, "Cards to show before exiting; 0: until Ctrl-C")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app->add_option("--timeout-ms", settings->timeout_ms, "How long to wait for each card")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  return {app, [settings, &till]() { return ReadCards(*settings, till); }};
}

}  // namespace loyalty_demo
