#include "loyalty/money.hpp"

#include <array>
#include <cstdlib>

#include "common/checked.hpp"

namespace loyalty {
namespace {

struct CurrencyEntry {
  const char* code;
  int exponent;
};

// ISO 4217 active codes a European, American, Middle-East or Asian chain
// is likely to trade in. Extend by appending.
constexpr std::array<CurrencyEntry, 48> kCurrencies{{
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BGN", 2}, {"BHD", 3}, {"BRL", 2},
    {"CAD", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CZK", 2},
    {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MAD", 2}, {"MXN", 2}, {"MYR", 2},
    {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PHP", 2}, {"PLN", 2}, {"QAR", 2},
    {"RON", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3},
    {"TRY", 2}, {"TWD", 2}, {"UAH", 2}, {"USD", 2}, {"VND", 0}, {"ZAR", 2},
}};

}  // namespace

Currency::Currency(std::string_view code, int exponent) noexcept
    : exponent_(exponent) {
  for (int i = 0; i < 3; ++i) code_[i] = code[static_cast<size_t>(i)];
}

Result<Currency> Currency::FromCode(std::string_view code) {
  if (code.size() != 3) {
    return Status(StatusCode::kInvalidArgument,
                  "currency: '" + std::string(code) +
                      "' is not a three-letter ISO 4217 code");
  }
  for (const auto& entry : kCurrencies) {
    if (code == entry.code) return Currency(code, entry.exponent);
  }
  return Status(StatusCode::kInvalidArgument,
                "currency: '" + std::string(code) + "' is not a known ISO 4217 code");
}

std::int64_t Currency::minor_per_major() const noexcept {
  std::int64_t f = 1;
  for (int i = 0; i < exponent_; ++i) f *= 10;
  return f;
}

Result<Money> Money::Parse(std::string_view text, Currency currency) {
  auto bad = [&](const std::string& why) {
    return Status(StatusCode::kInvalidArgument,
                  "amount: '" + std::string(text) + "' " + why);
  };
  if (text.empty()) return bad("is empty");
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t major = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i, ++digits) {
    if (text[i] < '0' || text[i] > '9') return bad("is not a number");
    auto m = internal::CheckedMul(major, 10);
    if (!m) return Status(StatusCode::kAmountOverflow, "amount: '" + std::string(text) + "' is too large");
    auto a = internal::CheckedAdd(*m, text[i] - '0');
    if (!a) return Status(StatusCode::kAmountOverflow, "amount: '" + std::string(text) + "' is too large");
    major = *a;
  }
  if (digits == 0) return bad("has no digits before the decimal point");
  std::int64_t minor = 0;
  int decimals = 0;
  if (i < text.size()) {
    ++i;  // '.'
    if (i == text.size()) return bad("has no digits after the decimal point");
    for (; i < text.size(); ++i, ++decimals) {
      if (text[i] < '0' || text[i] > '9') return bad("is not a number");
      if (decimals >= currency.exponent()) {
        return bad("has more decimals than " + std::string(currency.code()) +
                   " allows (" + std::to_string(currency.exponent()) + ")");
      }
      minor = minor * 10 + (text[i] - '0');
    }
  }
  for (int d = decimals; d < currency.exponent(); ++d) minor *= 10;
  auto scaled = internal::CheckedMul(major, currency.minor_per_major());
  if (!scaled) return Status(StatusCode::kAmountOverflow, "amount: '" + std::string(text) + "' is too large");
  auto total = internal::CheckedAdd(*scaled, minor);
  if (!total) return Status(StatusCode::kAmountOverflow, "amount: '" + std::string(text) + "' is too large");
  return Money(negative ? -*total : *total, currency);
}

std::string Money::ToString() const {
  const std::int64_t per = currency_.minor_per_major();
  // Work in unsigned magnitude so INT64_MIN prints correctly.
  const bool negative = minor_ < 0;
  const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(minor_)
                                     : static_cast<std::uint64_t>(minor_);
  const auto uper = static_cast<std::uint64_t>(per);
  std::string out = negative ? "-" : "";
  out += std::to_string(mag / uper);
  if (currency_.exponent() > 0) {
    std::string frac = std::to_string(mag % uper);
    out += '.';
    out += std::string(static_cast<size_t>(currency_.exponent()) - frac.size(), '0');
    out += frac;
  }
  out += ' ';
  out += currency_.code();
  return out;
}

Result<Money> Money::Plus(const Money& other) const {
  if (!(currency_ == other.currency_)) {
    return Status(StatusCode::kCurrencyMismatch,
                  "cannot add " + other.ToString() + " to " + ToString());
  }
  auto sum = internal::CheckedAdd(minor_, other.minor_);
  if (!sum) return Status(StatusCode::kAmountOverflow, ToString() + " + " + other.ToString() + " overflows");
  return Money(*sum, currency_);
}

Result<Money> Money::Minus(const Money& other) const {
  if (!(currency_ == other.currency_)) {
    return Status(StatusCode::kCurrencyMismatch,
                  "cannot subtract " + other.ToString() + " from " + ToString());
  }
  auto diff = internal::CheckedSub(minor_, other.minor_);
  if (!diff) return Status(StatusCode::kAmountOverflow, ToString() + " - " + other.ToString() + " overflows");
  return Money(*diff, currency_);
}

Result<Money> Money::Times(std::int64_t factor) const {
  auto product = internal::CheckedMul(minor_, factor);
  if (!product) {
    return Status(StatusCode::kAmountOverflow,
                  ToString() + " x " + std::to_string(factor) + " overflows");
  }
  return Money(*product, currency_);
}

}  // namespace loyalty
