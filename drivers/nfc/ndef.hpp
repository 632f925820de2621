// NDEF messages (NFC Forum NDEF 1.0, RTD Text, RTD URI): the records, and
// the loyalty number a card carries in a Text or URI record. Pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "loyalty/status.hpp"

namespace loyalty::readers {

struct NdefRecord {
  std::uint8_t tnf = 0;  // 1 = NFC Forum well-known type
  std::string type;      // "T", "U", …
  std::vector<std::uint8_t> payload;
};

// Splits a message into records. kBadRead naming the record that is cut
// short, chunked (not supported) or missing its MB/ME flags.
Result<std::vector<NdefRecord>> ParseNdefMessage(std::span<const std::uint8_t> message);

// The loyalty number in a message: the first well-known Text record's text
// (UTF-8 only), or else the first URI record's "card" query value or its
// last path segment ("https://example.com/c/9900123456789017").
// kBadRead when there is neither, or the record is malformed.
Result<std::string> LoyaltyNumberFromNdef(std::span<const std::uint8_t> message);

// The full URI of a URI record payload (prefix code expanded).
std::string ExpandUri(std::span<const std::uint8_t> payload);

}  // namespace loyalty::readers
