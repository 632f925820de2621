// What the cashier sees: cards, receipts, history and the ledger check as
// short plain-text blocks. Amounts always through Money::ToString.
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

void PrintCard(std::ostream& out, const loyalty::CardView& card, const loyalty::Currency& currency);
void PrintReceipt(std::ostream& out, const loyalty::Receipt& receipt,
                  const loyalty::Currency& currency);
void PrintHistory(std::ostream& out, const std::vector<loyalty::HistoryEntry>& entries,
                  const loyalty::Currency& currency);
void PrintVerify(std::ostream& out, const loyalty::VerifyReport& report);

}  // namespace loyalty_demo
