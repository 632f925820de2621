// Prices typed at the till ("12.40") turned into a basket, exactly: through
// Money::Parse, never through a float.
#pragma once

#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

// One basket line per price, in the till's currency. kInvalidArgument names
// the price that does not parse (letters, too many decimals).
loyalty::Result<loyalty::Basket> ParseBasket(const std::vector<std::string>& prices,
                                             const loyalty::Currency& currency);

// One amount, e.g. a partial refund. Errors as for ParseBasket.
loyalty::Result<std::int64_t> ParseAmountMinor(const std::string& text,
                                               const loyalty::Currency& currency);

// Parses a card number as keyed ("9900 1234-5678 9017"), naming it on error.
loyalty::Result<loyalty::CardId> ParseCard(const std::string& text);

}  // namespace loyalty_demo
