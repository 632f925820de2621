// What a basket earns: pure arithmetic on the program and the basket.
#pragma once

#include "engine/program.hpp"
#include "loyalty/basket.hpp"
#include "loyalty/quote.hpp"
#include "loyalty/status.hpp"

namespace loyalty::engine {

// Validates the basket against the program (currency, amounts) and returns
// the points it earns. The earn rule applies to the receipt's eligible total
// and rounds once, so ten lines at 0.10 earn what one line at 1.00 earns.
Result<Quote> QuoteEarn(const Program& program, const Basket& basket);

}  // namespace loyalty::engine
