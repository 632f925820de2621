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
// Four objects have no C ABI kind: "gift_card" (loyalty_gift_card_balance
// returns a bare number), "cardless_sale" (loyalty_record_anonymous_sale
// returns only a status), "key_file" (keygen, the CLI's own) and "error"
// (a failed call: loyalty_status_name, its number and loyalty_last_error's
// message).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "loyalty/report.hpp"

namespace loyalty_demo {

// Members in the order the C ABI numbers its keys, "result_kind" first.
using Json = nlohmann::ordered_json;

Json CardJson(const loyalty::CardView& card);              // "card"
Json BalanceJson(const loyalty::PointsBalance& balance);   // "balance"
Json QuoteJson(const loyalty::Quote& quote);               // "quote"
Json ReceiptJson(const loyalty::Receipt& receipt);         // "receipt"
Json ExpiryJson(const std::vector<loyalty::Receipt>& receipts);  // "expiry"
Json ExchangeJson(const loyalty::ExchangeReceipt& exchange);  // "exchange"
Json HistoryJson(const std::vector<loyalty::HistoryEntry>& entries);  // "history"
Json VerifyJson(const loyalty::VerifyReport& report);      // "verify"
Json ProgramJson(const loyalty::ProgramInfo& program);     // "program"
Json ReportJson(const loyalty::TillReportData& report);    // "report"
Json CardReadJson(const loyalty::CardRead& read);          // "card_read"
Json SyncStatusJson(const loyalty::SyncStatus& status);    // "sync_status"
Json SyncExceptionsJson(const std::vector<loyalty::SyncException>& exceptions);

// {"result_kind": "gift_card", "masked": ..., "balance_minor": ...}
Json GiftCardJson(const loyalty::CardId& gift_card, std::int64_t balance_minor);
// {"result_kind": "cardless_sale", "op_id": ..., "amount_minor": ...}
Json CardlessSaleJson(const loyalty::AnonymousSale& sale);
// {"result_kind": "key_file", "path": ..., "bytes": 32}
Json KeyFileJson(const std::string& path, std::size_t bytes);
// {"result_kind": "error", "status": "insufficient_points", "code": 4,
//  "message": ..., "exit_code": 4}: the status's name and number as
// loyalty_status_name and loyalty_status give them, and the exit code the
// command ends with.
Json ErrorJson(const loyalty::Status& status, int exit_code);

}  // namespace loyalty_demo
