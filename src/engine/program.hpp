// The program in force: what the loyalty team configured, as the engine
// reads it. Built only by ParseProgram(), so every field is valid.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/checked.hpp"
#include "loyalty/money.hpp"

namespace loyalty::engine {

using internal::Rounding;

// "1 point per 1.00 EUR": `points` for every `per_minor` minor units.
struct EarnRule {
  std::string id = "base";
  Points points = 1;
  std::int64_t per_minor = 100;
  Rounding rounding = Rounding::kDown;
};

// What a valid loyalty card number looks like in this chain.
struct CardNumberFormat {
  int min_length = 4;
  int max_length = 64;
  std::vector<std::string> prefixes;  // empty: any
  bool luhn = false;
  bool allow_payment_cards = false;   // Luhn-valid 13-19 digit numbers
};

struct Program {
  int format = 1;
  std::string id;
  std::int64_t version = 0;
  std::string name;
  Currency currency = *Currency::FromCode("EUR");
  std::string time_zone = "UTC";
  EarnRule earn;
  int pending_days = 0;  // earned points wait this long (the return window)
  int expiry_days = 0;   // 0: points never expire
  CardNumberFormat cards;
};

}  // namespace loyalty::engine
