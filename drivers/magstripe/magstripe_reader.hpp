// A swipe reader: waits on a SwipeSource, frames one swipe (CR, or a pause
// between characters longer than the gap), parses it, wipes the buffer.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/cancel_signal.hpp"
#include "common/scrub.hpp"
#include "loyalty/reader.hpp"
#include "magstripe/swipe_source.hpp"
#include "magstripe/track_parser.hpp"

namespace loyalty::readers {

struct MagstripeSettings {
  // A pause this long after the last character ends a swipe that had no
  // CR. Wedges type a whole swipe in well under 100 ms.
  std::chrono::milliseconds gap{100};
  SwipeParseOptions parse;
};

class MagstripeReader final : public CardReader {
 public:
  MagstripeReader(std::string description, std::unique_ptr<SwipeSource> source,
                  MagstripeSettings settings, ReaderOptions options);
  ~MagstripeReader() override { Close(); }

  Status Start() override;
  Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) override;
  void Cancel() override { cancel_.Cancel(); }
  void Close() override;
  std::string Describe() const override { return description_; }

 private:
  CardRead FinishSwipe(std::size_t length, std::size_t consumed);
  Status DeviceFailed(Status status);

  std::string description_;
  std::unique_ptr<SwipeSource> source_;
  MagstripeSettings settings_;
  ReaderOptions options_;
  CancelSignal cancel_;
  SwipeBuffer pending_;
  std::chrono::steady_clock::time_point last_input_{};
};

}  // namespace loyalty::readers
