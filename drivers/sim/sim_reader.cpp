#include "sim/sim_reader.hpp"

#include <charconv>

#include "common/reader_clock.hpp"

namespace loyalty::readers {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<std::vector<SimEvent>> ParseSimScript(std::string_view script) {
  std::vector<SimEvent> events;
  int line_number = 0;
  while (!script.empty()) {
    auto nl = script.find('\n');
    std::string_view line = Trim(script.substr(0, nl));
    script = nl == std::string_view::npos ? std::string_view{} : script.substr(nl + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line == "gone") {
      events.push_back({SimEvent::Kind::kDeviceGone, "", {}});
    } else if (line.starts_with("bad")) {
      std::string reason(Trim(line.substr(3)));
      events.push_back({SimEvent::Kind::kBadRead, reason.empty() ? "swipe again" : reason, {}});
    } else if (line.starts_with("wait")) {
      std::string_view ms_text = Trim(line.substr(4));
      long long ms = -1;
      auto [end, ec] = std::from_chars(ms_text.data(), ms_text.data() + ms_text.size(), ms);
      if (ec != std::errc() || end != ms_text.data() + ms_text.size() || ms < 0) {
        return Status(StatusCode::kInvalidArgument,
                      "sim script line " + std::to_string(line_number) +
                          ": 'wait' needs a number of milliseconds");
      }
      events.push_back({SimEvent::Kind::kWait, "", std::chrono::milliseconds(ms)});
    } else {
      events.push_back({SimEvent::Kind::kCard, std::string(line), {}});
    }
  }
  return events;
}

SimReader::SimReader(std::string description, std::vector<SimEvent> script,
                     ReaderOptions options)
    : description_(std::move(description)),
      options_(std::move(options)),
      queue_(script.begin(), script.end()) {}

Status SimReader::Start() {
  std::lock_guard lock(mutex_);
  open_ = true;
  return Status::Ok();
}

void SimReader::Close() {
  std::lock_guard lock(mutex_);
  open_ = false;
}

void SimReader::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;  // kept for the next wait when none is in progress
  changed_.notify_all();
}

void SimReader::Queue(SimEvent event) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(event));
  changed_.notify_all();
}

std::size_t SimReader::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

Result<CardRead> SimReader::WaitForCard(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (cancelled_) {
    cancelled_ = false;
    return Status(StatusCode::kCancelled, description_ + ": wait cancelled");
  }
  if (!open_) return Status(StatusCode::kDeviceGone, description_ + ": not open; call Start()");

  using SteadyClock = std::chrono::steady_clock;
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (cancelled_) {
      cancelled_ = false;
      return Status(StatusCode::kCancelled, description_ + ": wait cancelled");
    }
    const auto now = SteadyClock::now();
    auto until = deadline;
    if (!queue_.empty()) {
      if (queue_.front().kind != SimEvent::Kind::kWait) break;
      // A pause runs in real time, across WaitForCard() calls.
      if (!pause_until_) pause_until_ = now + queue_.front().wait;
      if (now >= *pause_until_) {
        queue_.pop_front();
        pause_until_.reset();
        continue;
      }
      until = std::min(until, *pause_until_);
    }
    if (now >= deadline) {
      return Status(StatusCode::kTimeout,
                    description_ + ": no card within " + std::to_string(timeout.count()) + " ms");
    }
    changed_.wait_until(lock, until);
  }

  SimEvent event = std::move(queue_.front());
  queue_.pop_front();
  CardRead read;
  read.source = CardSource::kSimulated;
  read.at = ReadTime(options_.clock);
  switch (event.kind) {
    case SimEvent::Kind::kDeviceGone:
      open_ = false;
      return Status(StatusCode::kDeviceGone, description_ + ": unplugged (scripted); call Start()");
    case SimEvent::Kind::kBadRead:
      read.status = Status(StatusCode::kBadRead, event.text);
      break;
    case SimEvent::Kind::kCard: {
      auto card = CardId::Parse(event.text);
      if (card.ok()) {
        read.card = std::move(card).value();
      } else {
        read.status = Status(StatusCode::kBadRead, "simulated card: " + card.status().message());
      }
      break;
    }
    case SimEvent::Kind::kWait:
      break;
  }
  if (options_.log) {
    options_.log(read.status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
                 read.status.ok() ? "sim: card " + read.card.Masked()
                                  : "sim: bad read: " + read.status.message());
  }
  return read;
}

SimReader* AsSimReader(CardReader* reader) { return dynamic_cast<SimReader*>(reader); }

}  // namespace loyalty::readers

