#include "ledger/apply.hpp"

#include <string>

#include "common/limits.hpp"

namespace loyalty::ledger {
namespace {

// Whatever the layers above checked, no entry past the limits reaches the
// book or SQLite (docs/limits.md): sums of them then fit in int64.
Status CheckBounds(const EntryRecord& e) {
  auto past = [](std::int64_t v, std::int64_t limit) { return v > limit || v < -limit; };
  if (past(e.points, limits::kMaxPoints)) {
    return {StatusCode::kAmountOverflow, "points: " + std::to_string(e.points) +
                                             " is past the limit of " +
                                             std::to_string(limits::kMaxPoints)};
  }
  if (past(e.amount_minor, limits::kMaxAmountMinor) ||
      (e.units && past(*e.units, limits::kMaxAmountMinor))) {
    return {StatusCode::kAmountOverflow,
            "amount: past the limit of " + std::to_string(limits::kMaxAmountMinor) +
                " minor units"};
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<LotMove>> ApplyEntry(Book& book, const EntryRecord& e,
                                        const std::vector<LotMove>& outstanding) {
  if (Status s = CheckBounds(e); !s.ok()) return s;
  if (e.points > 0 && book.balance() > limits::kMaxPoints - e.points) {
    return Status(StatusCode::kAmountOverflow,
                  "points: the balance would be past the limit of " +
                      std::to_string(limits::kMaxPoints) + " (it holds " +
                      std::to_string(book.balance()) + ")");
  }
  if (e.points < 0 && book.balance() < -limits::kMaxPoints - e.points) {
    return Status(StatusCode::kAmountOverflow,
                  "points: the balance would be past the limit of -" +
                      std::to_string(limits::kMaxPoints));
  }
  switch (e.kind) {
    case EntryKind::kEnroll:
    case EntryKind::kBlock:
    case EntryKind::kUnblock:
      return std::vector<LotMove>{};
    case EntryKind::kStamp:
    case EntryKind::kStoredValue:
    case EntryKind::kProgram:
      if (e.points != 0) return Status(StatusCode::kInternal, "stamp or money entry moves points");
      return std::vector<LotMove>{};
    case EntryKind::kEarn:
    case EntryKind::kAdjust:
      if (e.points > 0) {
        Lot lot;
        lot.id = e.seq;
        lot.points = e.points;
        lot.earned_at = e.at;
        lot.pending_until = e.pending_until.value_or(e.at);
        lot.expires_at = e.expires_at.value_or(kNever);
        book.Credit(lot);
        return std::vector<LotMove>{};
      }
      if (e.points == 0) return std::vector<LotMove>{};
      if (e.kind == EntryKind::kAdjust) return book.Withdraw(-e.points, e.at);
      return Status(StatusCode::kInternal, "earn entry with negative points");
    case EntryKind::kRedeem:
      if (e.points > 0) return Status(StatusCode::kInternal, "redeem entry credits");
      return book.Spend(-e.points, e.at);
    case EntryKind::kEarnReversal:
      if (!e.reverses_seq || e.points > 0) {
        return Status(StatusCode::kInternal, "earn reversal without its earn");
      }
      return book.TakeBack(*e.reverses_seq, -e.points);
    case EntryKind::kRedeemReversal:
      if (!e.reverses_seq || e.points < 0) {
        return Status(StatusCode::kInternal, "redeem reversal without its redeem");
      }
      return book.GiveBack(outstanding, e.points);
    case EntryKind::kExpire: {
      const bool inactivity = e.ref && *e.ref == kInactivityRef;
      auto moves = inactivity ? book.ExpireAll() : book.Expire(e.at);
      Points expired = 0;
      for (const auto& m : moves) expired -= m.points;
      if (expired != -e.points) {
        return Status(StatusCode::kInternal,
                      "expiry entry " + std::to_string(e.seq) + " says " +
                          std::to_string(-e.points) + " points, lots hold " +
                          std::to_string(expired));
      }
      return moves;
    }
  }
  return Status(StatusCode::kInternal, "unknown entry kind");
}

}  // namespace loyalty::ledger
