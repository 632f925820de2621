// loyalty-demo --json: every result as the C ABI hands it to a program
// (include/loyalty/loyalty.h), one JSON object per result.
//
// The mapping is mechanical so that it stays stable: an object's
// "result_kind" is its LOYALTY_KIND_* name in lower case ("receipt",
// "card_read"; loyalty_result_kind_of), and each
// LOYALTY_<PREFIX>_<NAME> key of that kind is the member "<name>" in lower
// case with the C ABI's type: (i) a number (booleans 0/1), (s) a string,
// (i[]) and (s[]) arrays, (r[]) an array of objects of the kind the header
// names. Every key the header lists for a kind is present. Money is in
// minor units, times in milliseconds since 1970 UTC, as in the C ABI.
//
// Two objects have no C ABI kind: "gift_card" (loyalty_gift_card_balance
// returns a bare number) and "error" (a failed call: loyalty_status_name,
// its number and loyalty_last_error's message).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "loyalty/report.hpp"

namespace loyalty_demo {

nlohmann::json CardJson(const loyalty::CardView& card);              // "card"
nlohmann::json BalanceJson(const loyalty::PointsBalance& balance);   // "balance"
nlohmann::json QuoteJson(const loyalty::Quote& quote);               // "quote"
nlohmann::json ReceiptJson(const loyalty::Receipt& receipt);         // "receipt"
nlohmann::json ExpiryJson(const std::vector<loyalty::Receipt>& receipts);  // "expiry"
nlohmann::json HistoryJson(const std::vector<loyalty::HistoryEntry>& entries);  // "history"
nlohmann::json VerifyJson(const loyalty::VerifyReport& report);      // "verify"
nlohmann::json ProgramJson(const loyalty::ProgramInfo& program);     // "program"
nlohmann::json ReportJson(const loyalty::TillReportData& report);    // "report"
nlohmann::json CardReadJson(const loyalty::CardRead& read);          // "card_read"
nlohmann::json SyncStatusJson(const loyalty::SyncStatus& status);    // "sync_status"
nlohmann::json SyncExceptionsJson(const std::vector<loyalty::SyncException>& exceptions);

// {"result_kind": "gift_card", "masked": ..., "balance_minor": ...}
nlohmann::json GiftCardJson(const loyalty::CardId& gift_card, std::int64_t balance_minor);
// {"result_kind": "error", "status": "insufficient_points", "code": 4,
//  "message": ..., "exit_code": 4}: the status's name and number as
// loyalty_status_name and loyalty_status give them, and the exit code the
// command ends with.
nlohmann::json ErrorJson(const loyalty::Status& status, int exit_code);

}  // namespace loyalty_demo
