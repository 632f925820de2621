// What a basket would earn, computed without writing anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/money.hpp"

namespace loyalty {

// One figure of the quote and the sentence a cashier can read aloud.
struct QuoteLine {
  std::string rule;         // id of the rule that produced it
  Points points = 0;
  std::string explanation;  // "1 point per 1.00 EUR on 12.40 EUR: 12 points"
};

struct Quote {
  std::int64_t eligible_minor = 0;  // basket total the earn rule applies to
  std::string currency;
  Points points_to_earn = 0;
  std::vector<QuoteLine> lines;
};

}  // namespace loyalty
