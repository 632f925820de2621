// What a PC/SC reader answered an APDU, checked apart from SCardTransmit so
// the bytes a card or reader returns can be tested and fuzzed without one.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "loyalty/status.hpp"

namespace loyalty::readers {

// The response data without its status word when the status word is
// 90 00; kBadRead "PC/SC: <what> refused, SW 6A82" otherwise, and for a
// response shorter than a status word.
Result<std::vector<std::uint8_t>> PcscAnswer(std::span<const std::uint8_t> response,
                                             const char* what);

}  // namespace loyalty::readers
