// What the POS sends, checked before anything is read or written: every
// text valid UTF-8 within its limit and free of control characters, every
// amount and count within its limit (src/common/limits.hpp,
// docs/limits.md). Text is refused with kInvalidArgument, an amount past
// its limit with kAmountOverflow, each naming the field.
#pragma once

#include "loyalty/basket.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/report.hpp"
#include "loyalty/status.hpp"

namespace loyalty::terminal {

Status CheckRequest(const Enrollment& request);
Status CheckRequest(const Checkout& request);
Status CheckRequest(const Redemption& request);
Status CheckRequest(const Adjustment& request);
Status CheckRequest(const CardBlock& request);
Status CheckRequest(const RefundRequest& request);
Status CheckRequest(const VoidRequest& request);
Status CheckRequest(const CustomerEvent& request);
Status CheckRequest(const StoredValueLoad& request);
Status CheckRequest(const LoadVoid& request);
Status CheckRequest(const ReservationDecision& request);
Status CheckRequest(const AnonymousSale& request);
Status CheckBasket(const Basket& basket);

}  // namespace loyalty::terminal
