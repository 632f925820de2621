// Amounts: integer minor units with an ISO 4217 currency, and points.
// No floating point anywhere near an amount.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

namespace loyalty {

// Points are whole numbers; a negative value is a debit.
using Points = std::int64_t;

// An ISO 4217 currency with its minor-unit exponent (JPY 0, EUR 2, KWD 3).
class Currency {
 public:
  // Looks the code up in the library's ISO 4217 table; kInvalidArgument
  // names the code when it is unknown or not three upper-case letters.
  static Result<Currency> FromCode(std::string_view code);

  std::string_view code() const noexcept { return {code_, 3}; }
  int exponent() const noexcept { return exponent_; }
  // 10^exponent: the number of minor units in one major unit.
  std::int64_t minor_per_major() const noexcept;

  friend bool operator==(const Currency& a, const Currency& b) noexcept {
    return a.code() == b.code();
  }

 private:
  Currency(std::string_view code, int exponent) noexcept;
  char code_[3] = {'X', 'X', 'X'};
  int exponent_ = 0;
};

// An amount of money: minor units of one currency. Immutable value type.
class Money {
 public:
  Money(std::int64_t minor, Currency currency) noexcept
      : minor_(minor), currency_(currency) {}

  // Parses "12.34" (or "12" / "0.5") in the currency's exponent; more
  // decimals than the currency has is kInvalidArgument, never a rounding.
  static Result<Money> Parse(std::string_view text, Currency currency);

  std::int64_t minor() const noexcept { return minor_; }
  const Currency& currency() const noexcept { return currency_; }

  // "12.34 EUR", "1200 JPY", "-0.050 KWD".
  std::string ToString() const;

  // Checked arithmetic: kCurrencyMismatch or kAmountOverflow instead of
  // a wrong answer.
  Result<Money> Plus(const Money& other) const;
  Result<Money> Minus(const Money& other) const;
  Result<Money> Times(std::int64_t factor) const;

  friend bool operator==(const Money& a, const Money& b) noexcept {
    return a.minor_ == b.minor_ && a.currency_ == b.currency_;
  }

 private:
  std::int64_t minor_;
  Currency currency_;
};

}  // namespace loyalty
