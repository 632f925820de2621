// The pull side's storage: the server's balance snapshots (with this till's
// share worked out), the hotlist, program versions received and the pull
// cursor; and the reads the Terminal's offline policy makes. Every method
// expects the caller to hold the Terminal's lock; writes join the caller's
// transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.hpp"
#include "sync/wire.hpp"

namespace loyalty::sync {

struct ProgramRecord {
  std::int64_t version = 0;
  std::string path;
  std::string state;  // received, loaded, refused
  std::string seal;   // terminal::SealProgram of the document; empty for a
                      // refused one or one accepted before sync schema 2
};

class Snapshots {
 public:
  static Result<std::unique_ptr<Snapshots>> Prepare(ledger::Ledger& ledger);

  // Stores the snapshot unless the stored one is as new, with its remote
  // share: points minus this till's entries up to includes_through_seq.
  Status SaveBalance(const BalanceSnapshot& snapshot, std::int64_t now);
  // Puts an account and its cards from another till into this ledger, so
  // its cards are recognised here. Cards already here stay as they are.
  Status MirrorAccount(const BalanceSnapshot& snapshot, std::int64_t now);
  // What the server's snapshot adds to this till's own entries (0: none).
  Result<Points> RemotePoints(const std::string& account_id);

  // Stores the server's money on an account (and recognises a gift card
  // loaded at another till), with this till's share worked out as for
  // points; a snapshot not newer than the stored one is ignored.
  Status SaveStoredValue(const StoredValueSnapshot& snapshot, std::int64_t now);
  // What the server's snapshot adds to this till's own money entries.
  Result<std::int64_t> RemoteStoredValue(const std::string& account_id, const std::string& ref);
  // A coupon code issued at another till becomes known here; a known code
  // keeps the fewer uses left of the two.
  Status MergeCoupon(const CouponState& coupon);

  Status SaveHotlist(const std::string& card_hash, const std::string& state,
                     std::int64_t version, std::int64_t now);
  Result<bool> Hotlisted(const std::string& card_hash);

  // Points redeemed on this till from the account since `since_ms`.
  Result<Points> RedeemedSince(const std::string& account_id, std::int64_t since_ms);

  Status SaveProgram(const ProgramRecord& program, const std::string& reason,
                     std::int64_t now);
  // The newest program in `state`, if any.
  Result<std::optional<ProgramRecord>> NewestProgram(const char* state);
  Result<std::vector<ProgramRecord>> ProgramsIn(const char* state);

 private:
  explicit Snapshots(ledger::Ledger& ledger) : ledger_(ledger) {}
  Status MirrorGiftCard(const WireGiftCard& gift, std::int64_t now);
  ledger::Ledger& ledger_;
  ledger::Statement balance_version_, own_points_, save_balance_, remote_, save_hot_,
      hotlisted_, redeemed_, save_program_, newest_program_, programs_in_, value_version_,
      own_value_, save_value_, remote_value_, merge_coupon_;
};

}  // namespace loyalty::sync
