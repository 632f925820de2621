// What the till shows about a card and its history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/card.hpp"
#include "loyalty/money.hpp"
#include "loyalty/quote.hpp"

namespace loyalty {

// What a swipe shows the cashier.
struct CardView {
  std::string account_id;
  std::string name;          // as given at enrolment
  std::string card_masked;   // "************0002"
  Points available = 0;      // spendable now: not pending, not expired, less debt
  Points pending = 0;        // earned, inside the return window
  Points held = 0;           // reserved by open reservations (already out of available)
  std::int64_t wallet_minor = 0;  // e-wallet balance, in the program currency
  Points balance = 0;        // ledger balance: available + pending (+ not yet
                             // expired-by-entry points), may be negative (debt)
  std::string tier;          // empty while the program has no tiers
  std::string segment;       // new, regular, loyal or lapsing
  bool blocked = false;
  // The catalog as it stands for this card (available or why not); what a
  // reward takes off depends on the basket: see Terminal::QuoteBasket.
  std::vector<RewardOption> rewards;
  std::vector<StampProgress> stamps;  // balance per stamp card
};

// Just the points of a card: the cheapest question the till can ask.
struct PointsBalance {
  std::string account_id;
  Points available = 0;
  Points pending = 0;
  Points balance = 0;
  Points held = 0;
  bool blocked = false;
};

// The kinds of ledger entry. Stored by name; numbering is for the C ABI.
enum class EntryKind : int {
  kEnroll = 0,
  kEarn = 1,
  kRedeem = 2,
  kEarnReversal = 3,    // a refund or void taking earned points back
  kRedeemReversal = 4,  // a refund or void giving redeemed points back
  kAdjust = 5,
  kExpire = 6,
  kBlock = 7,
  kUnblock = 8,
  kStamp = 9,           // stamps collected (units > 0) or spent (units < 0)
  kStoredValue = 10,    // money loaded (units > 0) or spent on a gift card or wallet
  kProgram = 11,        // a program went in force: ref = its SHA-256 (hex), no
                        // account (account_id ""), moves nothing
};

const char* EntryKindName(EntryKind kind) noexcept;

// One line of an account's history, newest first.
struct HistoryEntry {
  std::int64_t seq = 0;      // position in this terminal's ledger
  Timestamp at{};
  std::string op_id;         // the POS's id of the operation that wrote it
  EntryKind kind = EntryKind::kEarn;
  Points points = 0;         // signed movement
  std::int64_t amount_minor = 0;  // sale or refund amount, 0 when none
  std::string currency;
  std::optional<std::int64_t> reverses_seq;  // for reversals: the entry undone
  std::string note;          // operator and reason for adjustments, etc.
  std::int64_t stamps = 0;   // for stamp entries: stamps collected or spent
  std::string stamp_card;    // for stamp entries: which card
};

}  // namespace loyalty
