// What a card reader answers, one answer after another, cut from a fuzz
// input: a length byte, then that many bytes (fewer at the input's end).
// Shared by the PC/SC and PN532 targets, which differ in what their
// transport hands over, not in what reads it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/upper_hex.hpp"
#include "loyalty/reader.hpp"

namespace loyalty::fuzzing {

class ReaderAnswers {
 public:
  explicit ReaderAnswers(std::span<const std::uint8_t> input) : input_(input) {}
  // The next answer; nullopt once the input is used up (the card left).
  std::optional<std::vector<std::uint8_t>> Next() {
    // However the loops above read, a card answers a bounded number of times.
    if (++answers_ > 4096) std::abort();
    if (at_ >= input_.size()) return std::nullopt;
    const std::size_t length = input_[at_++];
    const std::size_t take = std::min(length, input_.size() - at_);
    std::vector<std::uint8_t> answer(input_.begin() + static_cast<std::ptrdiff_t>(at_),
                                     input_.begin() + static_cast<std::ptrdiff_t>(at_ + take));
    at_ += take;
    return answer;
  }

 private:
  std::span<const std::uint8_t> input_;
  std::size_t at_ = 0;
  int answers_ = 0;
};

// The AN12196 example keys (all zero) and a counter that always moves on:
// a forged message must still fail the MAC, whatever the counter says.
class FuzzSunAuthority final : public SunAuthority {
 public:
  Key MetaReadKey() const override { return {}; }
  std::optional<Key> FileReadKey(std::string_view) const override { return Key{}; }
  bool AcceptCounter(std::string_view, std::uint32_t) override { return true; }
};

}  // namespace loyalty::fuzzing
