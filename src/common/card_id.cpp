#include "loyalty/card.hpp"

namespace loyalty {

Result<CardId> CardId::Parse(std::string_view text) {
  std::string value;
  value.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (!ok) {
      // Never echo the input: it may be a payment card number.
      return Status(StatusCode::kInvalidArgument,
                    "card: contains a character that is not a letter or digit "
                    "at position " + std::to_string(value.size() + 1));
    }
    value.push_back(c);
  }
  if (value.size() < 4 || value.size() > 64) {
    return Status(StatusCode::kInvalidArgument,
                  "card: a card number has 4 to 64 letters or digits, got " +
                      std::to_string(value.size()));
  }
  return CardId(std::move(value));
}

std::string CardId::Masked() const {
  if (value_.size() <= 4) return value_;
  return std::string(value_.size() - 4, '*') + value_.substr(value_.size() - 4);
}

bool CardId::LooksLikePaymentCard() const noexcept {
  if (value_.size() < 13 || value_.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = value_.rbegin(); it != value_.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

const char* CardSourceName(CardSource source) noexcept {
  switch (source) {
    case CardSource::kKeyed: return "keyed";
    case CardSource::kMagstripeTrack1: return "magstripe-track1";
    case CardSource::kMagstripeTrack2: return "magstripe-track2";
    case CardSource::kMagstripeTrack3: return "magstripe-track3";
    case CardSource::kNfcUid: return "nfc-uid";
    case CardSource::kNfcNdef: return "nfc-ndef";
    case CardSource::kNfcSun: return "nfc-sun";
    case CardSource::kSimulated: return "simulated";
  }
  return "unknown";
}

}  // namespace loyalty
