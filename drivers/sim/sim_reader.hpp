// A scripted reader for tests, demos and POS integrators who have no
// hardware at hand: "sim:" (queue reads from code), "sim:cards=A,B,C" or
// "sim:file=PATH" (one event per line; see ParseSimScript).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/reader.hpp"

namespace loyalty::readers {

struct SimEvent {
  enum class Kind { kCard, kBadRead, kDeviceGone, kWait };
  Kind kind = Kind::kCard;
  std::string text;  // kCard: the number as printed; kBadRead: the reason
  std::chrono::milliseconds wait{0};  // kWait: pause before the next event
};

// One event per line: a card number ("9900 1234 5678 9017"), "bad <reason>"
// (a bad read), "gone" (the reader is unplugged: kDeviceGone until
// Start()), "wait <ms>" (nothing happens for that long). Blank lines and
// lines starting with '#' are skipped. kInvalidArgument names the line.
Result<std::vector<SimEvent>> ParseSimScript(std::string_view script);

class SimReader final : public CardReader {
 public:
  SimReader(std::string description, std::vector<SimEvent> script, ReaderOptions options);

  Status Start() override;
  // Returns the next queued event: a card (source kSimulated; a number that
  // CardId::Parse refuses is a bad read), a bad read, or kDeviceGone; waits
  // for one to be queued until the timeout or Cancel().
  Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) override;
  void Cancel() override;
  void Close() override;
  std::string Describe() const override { return description_; }

  // Thread-safe; wakes a waiting WaitForCard().
  void Queue(SimEvent event);
  void QueueCard(std::string number) { Queue({SimEvent::Kind::kCard, std::move(number), {}}); }
  void QueueBadRead(std::string reason) {
    Queue({SimEvent::Kind::kBadRead, std::move(reason), {}});
  }
  // Events not yet read.
  std::size_t pending() const;

 private:
  std::string description_;
  ReaderOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SimEvent> queue_;
  std::optional<std::chrono::steady_clock::time_point> pause_until_;
  bool open_ = false;
  bool cancelled_ = false;  // until a wait uses it up
};

// The SimReader behind a reader OpenReader("sim:…") returned; nullptr for
// any other reader.
SimReader* AsSimReader(CardReader* reader);

}  // namespace loyalty::readers
