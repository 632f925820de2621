// Bytes a card or reader gave as upper-case hex: the form card UIDs take as
// card numbers and status words take in messages. (Wire hex, MACs and
// hashes, is lower case: trust/codec.hpp.)
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace loyalty::readers {

inline std::string UpperHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

}  // namespace loyalty::readers
