// The C ABI sequence fuzzer's model of one call: decoded from the fuzzer's
// bytes into plain values, so the same call can be made again (a POS
// retrying after a timeout) and compared with its first answer.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/loyalty.h"

namespace loyalty::fuzzing {

// A C string argument; nullopt is passed as NULL.
using Text = std::optional<std::string>;

struct Line {
  Text sku;
  Text category;
  std::int64_t quantity = 1;
  std::int64_t amount_minor = 0;
  bool voided = false;
};

struct BasketSpec {
  Text currency;
  std::vector<Line> lines;
  std::vector<Text> rewards;
  std::vector<Text> coupons;
  std::vector<std::pair<Text, std::int64_t>> gift_cards;
  std::int64_t redeem_points = 0;
  std::int64_t wallet_minor = 0;
};

enum class Kind : std::uint8_t {
  // Writes (take an op_id; a retry must replay them).
  kEnroll,
  kEnrollMember,
  kCommit,
  kReserve,
  kConfirm,
  kRelease,
  kLoadGiftCard,
  kTopUpWallet,
  kVoidLoad,
  kRefundLoad,
  kRedeem,
  kRefund,
  kRefundRest,
  kRefundLines,
  kExchange,
  kVoid,
  kAdjust,
  kBlock,
  kRecordEvent,
  kAnonymousSale,
  kExpire,
  // Reads (write nothing, whatever they answer).
  kLookup,
  kBalance,
  kQuote,
  kGiftCardBalance,
  kHistory,
  kTillReport,
  kMoney,
  kLast = kMoney,
};

struct Call {
  Kind kind = Kind::kLookup;
  Text op_id;
  Text card;     // or the gift card, the sale / load / reservation / target op id
  Text other;    // account id, referrer, event, reason, currency, money text
  Text name;     // name, operator id
  Text extra;    // birthday, reason
  Text cashier;
  std::int64_t number = 0;  // points, amount, limit, blocked, report bounds
  std::int64_t number2 = 0;
  BasketSpec basket;
  std::vector<std::int64_t> line_numbers;
  std::vector<std::int64_t> quantities;
};

// What a call answered, in the figures a POS would compare on a retry.
struct Answer {
  loyalty_status status = LOYALTY_OK;
  std::string error;  // loyalty_last_error(), for the crash report only
  bool replayed = false;
  std::vector<std::int64_t> figures;
  std::vector<std::string> texts;
};

bool IsWrite(Kind kind);

// Decodes the next call; the pools keep card numbers and op ids colliding
// often enough for replays, conflicts and refusals to happen.
Call DecodeCall(FuzzedDataProvider& in);

// Makes the call on `terminal` and reads its answer.
Answer Run(loyalty_terminal* terminal, const Call& call);

}  // namespace loyalty::fuzzing
