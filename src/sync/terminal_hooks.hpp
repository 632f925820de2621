// What the Terminal asks the sync module while it serves the till: whether
// a card is on the server's hotlist, what the server's snapshot adds to a
// balance, and whether an offline redemption stays under the cap.
// Installed in Terminal::Impl by a live Sync; called with the Terminal's
// lock held, inside the operation's transaction. Internal: not installed.
#pragma once

#include <cstdint>
#include <string>

#include "loyalty/money.hpp"
#include "loyalty/status.hpp"

namespace loyalty::sync {

class TerminalHooks {
 public:
  virtual ~TerminalHooks() = default;
  // `card_hash` as the ledger stores it (raw HMAC bytes).
  virtual Result<bool> CardHotlisted(const std::string& card_hash) = 0;
  // Points the server holds for the account beyond this till's own entries.
  virtual Result<Points> RemotePoints(const std::string& account_id) = 0;
  // Money (minor units) the server holds under `ref` ("gift", "wallet")
  // beyond this till's own entries.
  virtual Result<std::int64_t> RemoteStoredValue(const std::string& account_id,
                                                 const std::string& ref) = 0;
  // Called after an operation wrote its entries and before it commits:
  // kOfflineLimit when the till is offline and the account's redemptions
  // on this till since `day_start_ms` (this operation's included) pass the
  // cap.
  virtual Status CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                        std::int64_t day_start_ms) = 0;
};

}  // namespace loyalty::sync
