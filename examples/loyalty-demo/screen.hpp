// What the cashier sees: cards, quotes, receipts, history and the ledger
// check as short plain-text blocks. Amounts always through Money::ToString.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

std::string FormatMoney(std::int64_t minor, const loyalty::Currency& currency);
std::string FormatPoints(loyalty::Points points);  // "1 point", "-80 points"
std::string FormatTime(loyalty::Timestamp at);     // "2026-03-03 08:05 UTC"

// The account, and the rewards and stamp cards a swipe shows.
void PrintCard(std::ostream& out, const loyalty::CardView& card, const loyalty::Currency& currency);
// The basket's lines numbered from 0 (the numbers `refund --lines` takes)
// with what each earns; `line_points` may be shorter (a replayed receipt).
void PrintLines(std::ostream& out, const loyalty::Basket& basket,
                const std::vector<loyalty::Points>& line_points,
                const loyalty::Currency& currency);
// What the till reads out before the sale: totals, points, every rule's
// sentence, the rewards the card could take, stamps, tier progress.
void PrintQuote(std::ostream& out, const loyalty::Basket& basket, const loyalty::Quote& quote,
                const loyalty::Currency& currency, bool tiers_measure_spend);
void PrintReceipt(std::ostream& out, const loyalty::Receipt& receipt,
                  const loyalty::Currency& currency);
void PrintHistory(std::ostream& out, const std::vector<loyalty::HistoryEntry>& entries,
                  const loyalty::Currency& currency);
void PrintVerify(std::ostream& out, const loyalty::VerifyReport& report);

}  // namespace loyalty_demo
