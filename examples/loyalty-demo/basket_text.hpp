// What the operator types or points to, turned into the library's requests
// exactly: money through Money::Parse (never a float), every mistake a
// kInvalidArgument that names the argument and the value. Nothing here
// touches the ledger, so a command checks all of its input before it
// opens the till.
#pragma once

#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

// Sale lines as typed: "SKU[:CATEGORY][xQTY]=PRICE", e.g. "MILK:dairyx2=1.98"
// (two units of MILK in category dairy, 1.98 for the line), or a bare PRICE
// ("12.40": sku "line-N", no category, one unit). PRICE is what the line
// costs in all (quantity x unit price, BasketLine::amount_minor), >= 0. The
// quantity is the lower-case x and the digits ending the left side; a SKU
// that itself ends so is written with an explicit quantity ("TX100x1").
loyalty::Result<loyalty::Basket> ParseBasket(const std::vector<std::string>& lines,
                                             const loyalty::Currency& currency);

// A basket file (JSON):
//   {"currency": "EUR",                        optional; must be the program's
//    "lines": [{"sku": "MILK", "category": "dairy", "quantity": 2,
//               "amount": "1.98"}]}            or "amount_minor": 198
// "category" is optional, "quantity" defaults to 1, "voided": true marks a
// voided line. Unknown members are refused (a typo must not pass silently).
loyalty::Result<loyalty::Basket> ReadBasketFile(const std::string& path,
                                                const loyalty::Currency& currency);

// One amount, e.g. a partial refund or a gift-card load: >= 0 when
// `allow_zero`, else > 0. `what` names the argument in errors.
loyalty::Result<std::int64_t> ParseAmountMinor(const std::string& text,
                                               const loyalty::Currency& currency,
                                               const std::string& what, bool allow_zero = true);

// A returned line: "LINE[xQTY]", LINE counted from 0 in the order the sale's
// lines were rung up (as loyalty_refund_lines and the receipt's line_points
// count them); QTY units, 1 when left out. Errors name `option`, the
// command line option it came from.
loyalty::Result<loyalty::ReturnLine> ParseReturnLine(const std::string& text,
                                                     const std::string& option = "--lines");

// A gift card paying part of a sale: "CARD=AMOUNT".
loyalty::Result<loyalty::GiftCardTender> ParseGiftCardTender(const std::string& text,
                                                             const loyalty::Currency& currency);

// Parses a card number as keyed ("9900 1234-5678 9017"), naming it on error
// as `what` ("card number", "gift card").
loyalty::Result<loyalty::CardId> ParseCard(const std::string& text,
                                           const std::string& what = "card number");

}  // namespace loyalty_demo
