// The basket the POS rings up: lines with integer amounts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loyalty {

// One line of the receipt. `amount_minor` is what the customer pays for the
// line (quantity × unit price, after line discounts) in the basket's
// currency; it must not be negative (returns go through Refund).
struct BasketLine {
  std::string sku;           // the POS's product code
  std::string category;      // e.g. "dairy"; empty when the POS has none
  std::int64_t quantity = 1; // units, for per-item rules
  std::int64_t amount_minor = 0;
  bool voided = false;       // voided lines earn nothing and are not paid
};

struct Basket {
  std::string currency;  // ISO 4217 code, must equal the program's
  std::vector<BasketLine> lines;
};

}  // namespace loyalty
