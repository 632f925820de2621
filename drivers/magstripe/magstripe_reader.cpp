#include "magstripe/magstripe_reader.hpp"

#include <poll.h>

#include <cerrno>
#include <cstring>

#include "common/reader_clock.hpp"

namespace loyalty::readers {

using Clock = std::chrono::steady_clock;

MagstripeReader::MagstripeReader(std::string description, std::unique_ptr<SwipeSource> source,
                                 MagstripeSettings settings, ReaderOptions options)
    : description_(std::move(description)),
      source_(std::move(source)),
      settings_(settings),
      options_(std::move(options)) {}

Status MagstripeReader::Start() {
  if (Status s = cancel_.Init(); !s.ok()) return s;
  pending_.Clear();
  return source_->Open();
}

void MagstripeReader::Close() {
  source_->Close();
  pending_.Clear();
}

Status MagstripeReader::DeviceFailed(Status status) {
  Close();
  if (options_.log) options_.log(LogLevel::kWarning, status.message());
  return status;
}

CardRead MagstripeReader::FinishSwipe(std::size_t length, std::size_t consumed) {
  CardRead read;
  read.at = ReadTime(options_.clock);
  if (pending_.view().substr(0, length).find(SwipeBuffer::kOverlong) != std::string_view::npos) {
    read.status = Status(StatusCode::kBadRead, "swipe longer than any card holds; swipe again");
    pending_.Consume(consumed);
  } else {
    auto parsed = ParseSwipe(pending_.view().substr(0, length), settings_.parse);
    pending_.Consume(consumed);
    if (parsed.ok()) {
      read.card = parsed->card;
      read.source = parsed->source;
    } else {
      read.source = CardSource::kMagstripeTrack2;  // the usual track; card is empty
      read.status = parsed.status();
    }
  }
  if (options_.log) {
    if (read.status.ok()) {
      options_.log(LogLevel::kInfo, "swipe: card " + read.card.Masked() + " from " +
                                        CardSourceName(read.source));
    } else {
      options_.log(LogLevel::kWarning, "swipe: bad read: " + read.status.message());
    }
  }
  return read;
}

Result<CardRead> MagstripeReader::WaitForCard(std::chrono::milliseconds timeout) {
  const Status cancelled(StatusCode::kCancelled, description_ + ": wait cancelled");
  // A cancel made while nothing waited ends this wait, also on a reader
  // that is unplugged.
  if (cancel_.Take()) return cancelled;
  if (source_->fd() < 0) {
    return Status(StatusCode::kDeviceGone, description_ + ": not open; call Start()");
  }

  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (cancel_.Take()) {
      pending_.Clear();
      return cancelled;
    }
    auto view = pending_.view();
    if (auto end = view.find('\r'); end != std::string_view::npos) {
      if (end == 0) {  // a bare CR: nothing to parse
        pending_.Consume(1);
        continue;
      }
      return FinishSwipe(end, end + 1);
    }
    const auto now = Clock::now();
    if (!pending_.empty() && now - last_input_ >= settings_.gap) {
      return FinishSwipe(pending_.size(), pending_.size());
    }
    if (pending_.empty() && now >= deadline) {
      return Status(StatusCode::kTimeout,
                    description_ + ": no swipe within " + std::to_string(timeout.count()) + " ms");
    }
    // A swipe under way runs to its end even past the deadline: cutting it
    // would turn a good card into a bad read.
    const auto until = pending_.empty() ? deadline : last_input_ + settings_.gap;
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    pollfd fds[2] = {{source_->fd(), POLLIN, 0}, {cancel_.fd(), POLLIN, 0}};
    int ready = ::poll(fds, 2, static_cast<int>(std::max<long long>(wait, 0)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return DeviceFailed(Status(StatusCode::kIoError,
                                 description_ + ": poll failed: " + std::strerror(errno)));
    }
    if (fds[1].revents & POLLIN) {
      cancel_.Drain();  // the cancel itself is taken at the top of the loop
      continue;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      const std::size_t before = pending_.received();
      if (Status s = source_->ReadAvailable(pending_); !s.ok()) return DeviceFailed(s);
      if (pending_.received() != before) last_input_ = Clock::now();
      if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        // Data that arrived before the hang-up still forms a swipe only if
        // it was complete; anything else went with the device.
        if (pending_.view().find('\r') == std::string_view::npos) {
          return DeviceFailed(
              Status(StatusCode::kDeviceGone, description_ + ": unplugged; call Start() to reopen"));
        }
      }
    }
  }
}

}  // namespace loyalty::readers
