// What a card read produces: a normalised card id and where it came from.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

namespace loyalty {

// Time is UTC, millisecond resolution, everywhere in the library.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// A loyalty card number in canonical form: ASCII upper-case letters and
// digits only, 4 to 64 characters. Spaces and dashes in the input are
// dropped ("9900 1234-5678" → "990012345678"). Never raw track data.
class CardId {
 public:
  CardId() = default;
  static Result<CardId> Parse(std::string_view text);

  const std::string& value() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }
  // For screens and logs: all but the last four characters masked.
  std::string Masked() const;
  // True for 13-19 digits passing the Luhn check: possibly a payment card.
  bool LooksLikePaymentCard() const noexcept;

  friend bool operator==(const CardId&, const CardId&) = default;

 private:
  explicit CardId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// Where a card number came from.
enum class CardSource : int {
  kKeyed = 0,          // typed by the cashier
  kMagstripeTrack1 = 1,
  kMagstripeTrack2 = 2,
  kMagstripeTrack3 = 3,
  kNfcUid = 4,         // the ISO 14443 UID, hex upper-case
  kNfcNdef = 5,        // a number in an NDEF text or URI record
  kNfcSun = 6,         // an NTAG 424 DNA secure unique message, verified
  kSimulated = 7,
};

const char* CardSourceName(CardSource source) noexcept;

// One event from a card reader. `status` is OK for a good read; a bad read
// (torn swipe, parity error, card removed too early) carries kBadRead and a
// reason the cashier can act on, and `card` is then empty.
struct CardRead {
  CardId card;
  CardSource source = CardSource::kKeyed;
  Timestamp at{};
  Status status;
};

}  // namespace loyalty
