// The HMAC-SHA256 hash chain over ledger entries.
#pragma once

#include <string>
#include <string_view>

#include "ledger/entry.hpp"
#include "ledger/mac.hpp"
#include "loyalty/status.hpp"

namespace loyalty::ledger {

// Holds the terminal key. Thread-compatible: one per Ledger, used under its
// lock.
class Chain {
 public:
  static Result<Chain> Create(std::string_view key);

  // mac(entry) = HMAC(key, previous mac ‖ canonical encoding of the row).
  // The first entry's previous mac is 32 zero bytes.
  std::string EntryMac(std::string_view previous_mac, const EntryRecord& entry) const;
  // Seals the chain head so that cutting entries off the end is detected.
  std::string HeadTag(std::int64_t seq, std::string_view mac) const;
  // A fixed tag telling whether a ledger was written under this key.
  std::string KeyCheck() const;

 private:
  explicit Chain(std::string_view key) : mac_(key) {}
  Mac mac_;
};

// Constant-time comparison for MACs.
bool SameMac(std::string_view a, std::string_view b);

}  // namespace loyalty::ledger
