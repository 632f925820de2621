// Whether a card number is acceptable as a loyalty id under the program.
#pragma once

#include "engine/program.hpp"
#include "loyalty/card.hpp"
#include "loyalty/status.hpp"

namespace loyalty::engine {

// kInvalidArgument when the number breaks the program's card format
// (length, prefix, check digit); kPaymentCardRefused when it could be a
// payment card and the program does not allow those. Messages show only the
// masked number.
Status CheckCardNumber(const CardNumberFormat& format, const CardId& card);

}  // namespace loyalty::engine
