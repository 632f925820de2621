// An account's points held in lots, and the rules that move them: spend
// the lots that expire first, take reversals from the lot they credited,
// turn a shortfall into debt that later credits repay. Pure: the ledger
// loads a Book, applies one operation and writes the changed lots back, and
// RebuildBalances replays entries through the same code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "loyalty/money.hpp"
#include "loyalty/status.hpp"

namespace loyalty::ledger {

struct Lot {
  std::int64_t id = 0;  // seq of the crediting entry
  Points points = 0;
  Points remaining = 0;
  std::int64_t earned_at = 0;
  std::int64_t pending_until = 0;
  std::int64_t expires_at = INT64_MAX;
  bool dirty = false;  // remaining changed since loaded
  bool fresh = false;  // created by this operation

  bool Usable(std::int64_t now) const {
    return pending_until <= now && now < expires_at;
  }
};

// A change to one lot's remaining points made by one entry.
struct LotMove {
  std::int64_t lot_id = 0;
  Points points = 0;
};

class Book {
 public:
  Book(Points balance, Points debt) : balance_(balance), debt_(debt) {}

  // Adds a lot read from storage (not a credit).
  void Load(const Lot& lot) { lots_[lot.id] = lot; }

  Points balance() const { return balance_; }
  Points debt() const { return debt_; }
  // Points the chain's server holds for the account beyond this till's own
  // entries (other tills' earnings, less their spending): spendable here,
  // never stored in a lot. A spend they cover leaves debt in this book,
  // which the server's next snapshot balances (docs/sync-protocol.md §4.3).
  void SetRemote(Points remote) { remote_ = remote; }
  Points remote() const { return remote_; }
  // For replaying entries that already happened: a spend or withdrawal the
  // lots cannot cover becomes debt instead of failing.
  void AcceptShortfall() { accept_shortfall_ = true; }
  // Spendable now: usable lots less debt, plus the remote share.
  Points Available(std::int64_t now) const;
  // Earned, still inside the return window.
  Points Pending(std::int64_t now) const;
  // The open lots' usable and pending points at `now`, and the widest
  // window [from, until) around `now` in which they stay the same: no
  // open lot matures or expires inside it. What Terminal::Balance reads
  // without summing lots (kept in the account row, checked by Verify).
  struct Sums {
    Points usable = 0;
    Points pending = 0;
    std::int64_t from = INT64_MIN;
    std::int64_t until = INT64_MAX;
  };
  Sums SumsAt(std::int64_t now) const;
  const std::map<std::int64_t, Lot>& lots() const { return lots_; }

  // A new lot; debt is repaid from it first.
  void Credit(Lot lot);
  // Redemption: consumes usable lots, earliest expiry first; what the
  // remote share covers becomes debt. kInsufficientPoints when fewer are
  // available (message names both figures).
  Result<std::vector<LotMove>> Spend(Points points, std::int64_t now);
  // Correction downwards: usable lots first, then pending ones, earliest
  // expiry first; debt only for what the remote share covers;
  // kInsufficientPoints when the balance (with the remote share) is short.
  Result<std::vector<LotMove>> Withdraw(Points points, std::int64_t now);
  // Reversal of a credit: from `lot_id` first, then any other lot, and what
  // is still missing becomes debt. Never fails.
  std::vector<LotMove> TakeBack(std::int64_t lot_id, Points points);
  // Reversal of a spend: `points` go back to the lots in `outstanding`
  // (what the spend took and was not yet given back), latest-expiring
  // first; debt is repaid first.
  std::vector<LotMove> GiveBack(const std::vector<LotMove>& outstanding,
                                Points points);
  // Points that Expire(now) would remove.
  Points ExpiredPoints(std::int64_t now) const;
  // Expiry: empties every lot expired by `now`.
  std::vector<LotMove> Expire(std::int64_t now);
  // Inactivity: empties every lot.
  std::vector<LotMove> ExpireAll();
  Points Held() const;  // points in lots (what ExpireAll would remove)

 private:
  void Move(Lot& lot, Points delta, std::vector<LotMove>& moves);
  std::vector<Lot*> ByExpiry(bool usable_only, std::int64_t now);

  Points balance_;
  Points debt_;
  Points remote_ = 0;
  bool accept_shortfall_ = false;
  std::map<std::int64_t, Lot> lots_;
};

}  // namespace loyalty::ledger
