#include "engine/card_rules.hpp"

#include <string>

namespace loyalty::engine {
namespace {

bool LuhnValid(const std::string& digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

}  // namespace

Status CheckCardNumber(const CardNumberFormat& format, const CardId& card) {
  const std::string& number = card.value();
  const std::string shown = card.Masked();
  const auto length = static_cast<int>(number.size());
  if (length < format.min_length || length > format.max_length) {
    return {StatusCode::kInvalidArgument,
            "card " + shown + ": " + std::to_string(length) +
                " characters, the program wants " +
                std::to_string(format.min_length) + " to " +
                std::to_string(format.max_length)};
  }
  if (!format.prefixes.empty()) {
    bool matched = false;
    for (const auto& prefix : format.prefixes) {
      if (number.compare(0, prefix.size(), prefix) == 0) matched = true;
    }
    if (!matched) {
      return {StatusCode::kInvalidArgument,
              "card " + shown + ": does not start with a prefix of this program"};
    }
  }
  if (format.luhn && !LuhnValid(number)) {
    return {StatusCode::kInvalidArgument,
            "card " + shown + ": check digit is wrong (Luhn); key it again"};
  }
  if (!format.allow_payment_cards && card.LooksLikePaymentCard()) {
    return {StatusCode::kPaymentCardRefused,
            "card " + shown +
                ": looks like a payment card number (Luhn-valid, 13-19 digits); "
                "not accepted as a loyalty id unless cards.allow_payment_cards"};
  }
  return Status::Ok();
}

}  // namespace loyalty::engine
