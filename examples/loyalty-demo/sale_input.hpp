// What a sale is made of at the command line, shared by `earn`, `hold` and
// `quote`: the card, the lines (typed or a basket file), the rewards and
// coupons taken, and (for earn and hold) how it is paid.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

struct SaleInput {
  std::string card;
  std::vector<std::string> lines;  // SKU[:CATEGORY][xQTY]=PRICE or PRICE
  std::string basket_file;         // --basket FILE.json instead of lines
  std::vector<std::string> rewards;
  std::vector<std::string> coupons;
  loyalty::Points tender_points = 0;
  std::vector<std::string> gift_cards;  // CARD=AMOUNT
  std::string wallet;                   // AMOUNT
};

// Adds the card, the lines, --basket, --reward and --coupon to `app`; and
// when `tenders`, --tender-points, --gift-card and --wallet.
void AddSaleOptions(CLI::App& app, SaleInput& input, bool tenders);

// Every argument of the sale checked and converted, before the till opens:
// kInvalidArgument / kAmountNegative name the one that is wrong (a card
// number, a line, the basket file, a tender); kIoError a basket file that
// cannot be read. The op_id and cashier are left to the caller.
loyalty::Result<loyalty::Checkout> ParseSale(const SaleInput& input,
                                             const loyalty::Currency& currency);

}  // namespace loyalty_demo
