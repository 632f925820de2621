// One row of the append-only ledger, as the hash chain sees it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "loyalty/account.hpp"
#include "loyalty/money.hpp"

namespace loyalty::ledger {

inline constexpr std::int64_t kNever = INT64_MAX;
// ref of an expiry entry that empties every lot of an inactive account.
inline constexpr const char* kInactivityRef = "inactivity";
inline constexpr const char* kGiftCardRef = "gift";
inline constexpr const char* kWalletRef = "wallet";

struct EntryRecord {
  std::int64_t seq = 0;
  std::string op_id;
  EntryKind kind = EntryKind::kEarn;
  std::string account_id;
  Points points = 0;                // signed movement of the balance
  std::int64_t amount_minor = 0;    // sale or refunded amount
  std::string currency;
  std::optional<std::int64_t> reverses_seq;
  std::optional<std::int64_t> pending_until;  // credits only
  std::optional<std::int64_t> expires_at;     // credits only
  std::int64_t at = 0;              // UTC milliseconds
  std::string note;
  // What else the entry moves: stamps on a stamp card (ref = the card's id),
  // or minor units of money on a gift card or wallet (ref = "gift"/"wallet").
  std::optional<std::int64_t> units;
  std::optional<std::string> ref;
  std::string mac;                  // 32 bytes
};

// Parses a stored kind name; nullopt for a name this library never writes.
std::optional<EntryKind> EntryKindFromName(std::string_view name);

}  // namespace loyalty::ledger
