// Raw track data must not outlive the parse (design.md): buffers that held
// it are wiped with a store the compiler may not drop.
#pragma once

#include <string.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace loyalty::readers {

inline void Scrub(void* data, std::size_t size) noexcept { ::explicit_bzero(data, size); }

inline void Scrub(std::string& text) noexcept {
  // The whole capacity: characters erased earlier may still sit past size().
  text.resize(text.capacity());
  Scrub(text.data(), text.size());
  text.clear();
}

// A fixed-size character buffer for swipes (complete ones end in '\r').
// It never reallocates, so no copy of a track is left behind in freed
// memory, and it wipes itself.
class SwipeBuffer {
 public:
  static constexpr std::size_t kCapacity = 512;  // 3 tracks are < 250 chars
  // Stands for a swipe longer than the buffer: its characters are dropped
  // up to its '\r', and the reader reports a bad read for the marker.
  static constexpr char kOverlong = '\x18';

  SwipeBuffer() = default;
  SwipeBuffer(const SwipeBuffer&) = delete;
  SwipeBuffer& operator=(const SwipeBuffer&) = delete;
  ~SwipeBuffer() { Clear(); }

  void Append(char c) noexcept;
  void Clear() noexcept {
    Scrub(data_.data(), data_.size());
    size_ = 0;
    discarding_ = false;
  }
  // Removes the first `count` characters (a finished swipe), keeping the rest.
  void Consume(std::size_t count) noexcept;

  std::string_view view() const noexcept { return {data_.data(), size_}; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // Characters ever appended, dropped ones included: a swipe still going.
  std::size_t received() const noexcept { return received_; }

 private:
  std::array<char, kCapacity> data_{};
  std::size_t size_ = 0;
  bool discarding_ = false;  // inside an overlong swipe
  std::size_t received_ = 0;
};

inline void SwipeBuffer::Append(char c) noexcept {
  ++received_;
  if (discarding_) {
    if (c != '\r') return;
    discarding_ = false;
  } else if (size_ + 2 > kCapacity) {
    // Keep the complete swipes before this one; this one becomes a marker.
    std::size_t keep = view().rfind('\r');
    keep = keep == std::string_view::npos || keep + 3 > kCapacity ? 0 : keep + 1;
    Scrub(data_.data() + keep, kCapacity - keep);
    size_ = keep;
    data_[size_++] = kOverlong;
    discarding_ = c != '\r';
    if (discarding_) return;
  }
  data_[size_++] = c;
}

inline void SwipeBuffer::Consume(std::size_t count) noexcept {
  if (count >= size_) {
    Clear();
    return;
  }
  std::size_t rest = size_ - count;
  for (std::size_t i = 0; i < rest; ++i) data_[i] = data_[count + i];
  Scrub(data_.data() + rest, kCapacity - rest);
  size_ = rest;
}

}  // namespace loyalty::readers
