#include "ledger/lots.hpp"

#include <algorithm>

namespace loyalty::ledger {

Points Book::Available(std::int64_t now) const {
  Points sum = 0;
  for (const auto& [id, lot] : lots_) {
    if (lot.remaining > 0 && lot.Usable(now)) sum += lot.remaining;
  }
  return sum - debt_ + remote_;
}

Points Book::Pending(std::int64_t now) const {
  Points sum = 0;
  for (const auto& [id, lot] : lots_) {
    if (lot.remaining > 0 && lot.pending_until > now && now < lot.expires_at) {
      sum += lot.remaining;
    }
  }
  return sum;
}

Book::Sums Book::SumsAt(std::int64_t now) const {
  Sums sums;
  for (const auto& [id, lot] : lots_) {
    if (lot.remaining <= 0) continue;
    if (now < lot.expires_at) {
      (lot.pending_until <= now ? sums.usable : sums.pending) += lot.remaining;
    }
    // A lot changes the sums when it matures and when it expires.
    for (const std::int64_t edge : {lot.pending_until, lot.expires_at}) {
      if (edge <= now) {
        sums.from = std::max(sums.from, edge);
      } else {
        sums.until = std::min(sums.until, edge);
      }
    }
  }
  return sums;
}

void Book::Move(Lot& lot, Points delta, std::vector<LotMove>& moves) {
  if (delta == 0) return;
  lot.remaining += delta;
  lot.dirty = true;
  moves.push_back({lot.id, delta});
}

std::vector<Lot*> Book::ByExpiry(bool usable_only, std::int64_t now) {
  std::vector<Lot*> order;
  for (auto& [id, lot] : lots_) {
    if (lot.remaining <= 0) continue;
    if (usable_only && !lot.Usable(now)) continue;
    order.push_back(&lot);
  }
  std::stable_sort(order.begin(), order.end(), [](const Lot* a, const Lot* b) {
    return a->expires_at != b->expires_at ? a->expires_at < b->expires_at
                                          : a->id < b->id;
  });
  return order;
}

void Book::Credit(Lot lot) {
  const Points repaid = std::min(debt_, lot.points);
  debt_ -= repaid;
  lot.remaining = lot.points - repaid;
  lot.fresh = true;
  balance_ += lot.points;
  lots_[lot.id] = lot;
}

Result<std::vector<LotMove>> Book::Spend(Points points, std::int64_t now) {
  const Points available = Available(now);
  if (points > available && !accept_shortfall_) {
    return Status(StatusCode::kInsufficientPoints,
                  "points: " + std::to_string(points) + " asked, " +
                      std::to_string(std::max<Points>(available, 0)) + " available");
  }
  std::vector<LotMove> moves;
  Points left = points;
  for (Lot* lot : ByExpiry(/*usable_only=*/true, now)) {
    if (left == 0) break;
    const Points take = std::min(left, lot->remaining);
    Move(*lot, -take, moves);
    left -= take;
  }
  debt_ += left;  // covered by the remote share (or a replay)
  balance_ -= points;
  return moves;
}

Result<std::vector<LotMove>> Book::Withdraw(Points points, std::int64_t now) {
  if (points > balance_ + remote_ && !accept_shortfall_) {
    return Status(StatusCode::kInsufficientPoints,
                  "points: " + std::to_string(points) + " to withdraw, balance is " +
                      std::to_string(balance_ + remote_));
  }
  std::vector<LotMove> moves;
  Points left = points;
  // Spendable points first, like a redemption; pending ones only after.
  for (Lot* lot : ByExpiry(/*usable_only=*/true, now)) {
    if (left == 0) break;
    const Points take = std::min(left, lot->remaining);
    Move(*lot, -take, moves);
    left -= take;
  }
  for (Lot* lot : ByExpiry(/*usable_only=*/false, 0)) {
    if (left == 0) break;
    const Points take = std::min(left, lot->remaining);
    Move(*lot, -take, moves);
    left -= take;
  }
  debt_ += left;  // covered by the remote share (or a replay)
  balance_ -= points;
  return moves;
}

std::vector<LotMove> Book::TakeBack(std::int64_t lot_id, Points points) {
  std::vector<LotMove> moves;
  Points left = points;
  if (auto it = lots_.find(lot_id); it != lots_.end() && it->second.remaining > 0) {
    const Points take = std::min(left, it->second.remaining);
    Move(it->second, -take, moves);
    left -= take;
  }
  for (Lot* lot : ByExpiry(/*usable_only=*/false, 0)) {
    if (left == 0) break;
    const Points take = std::min(left, lot->remaining);
    Move(*lot, -take, moves);
    left -= take;
  }
  debt_ += left;
  balance_ -= points;
  return moves;
}

std::vector<LotMove> Book::GiveBack(const std::vector<LotMove>& outstanding,
                                    Points points) {
  std::vector<LotMove> moves;
  balance_ += points;
  const Points repaid = std::min(debt_, points);
  debt_ -= repaid;
  Points left = points - repaid;
  std::vector<LotMove> order = outstanding;
  std::stable_sort(order.begin(), order.end(), [&](const LotMove& a, const LotMove& b) {
    const auto ea = lots_.count(a.lot_id) ? lots_.at(a.lot_id).expires_at : 0;
    const auto eb = lots_.count(b.lot_id) ? lots_.at(b.lot_id).expires_at : 0;
    return ea != eb ? ea > eb : a.lot_id > b.lot_id;
  });
  for (const LotMove& owed : order) {
    if (left == 0) break;
    auto it = lots_.find(owed.lot_id);
    if (it == lots_.end() || owed.points <= 0) continue;
    const Points give = std::min(left, owed.points);
    Move(it->second, give, moves);
    left -= give;
  }
  // Only reachable if the caller's outstanding list is short: keep the
  // points rather than lose them, on the latest-expiring lot named.
  if (left > 0 && !order.empty()) {
    if (auto it = lots_.find(order.front().lot_id); it != lots_.end()) {
      Move(it->second, left, moves);
    }
  }
  return moves;
}

std::vector<LotMove> Book::ExpireAll() {
  std::vector<LotMove> moves;
  for (auto& [id, lot] : lots_) {
    if (lot.remaining > 0) {
      const Points gone = lot.remaining;
      Move(lot, -gone, moves);
      balance_ -= gone;
    }
  }
  return moves;
}

Points Book::Held() const {
  Points sum = 0;
  for (const auto& [id, lot] : lots_) {
    if (lot.remaining > 0) sum += lot.remaining;
  }
  return sum;
}

Points Book::ExpiredPoints(std::int64_t now) const {
  Points sum = 0;
  for (const auto& [id, lot] : lots_) {
    if (lot.remaining > 0 && lot.expires_at <= now) sum += lot.remaining;
  }
  return sum;
}

std::vector<LotMove> Book::Expire(std::int64_t now) {
  std::vector<LotMove> moves;
  for (auto& [id, lot] : lots_) {
    if (lot.remaining > 0 && lot.expires_at <= now) {
      const Points gone = lot.remaining;
      Move(lot, -gone, moves);
      balance_ -= gone;
    }
  }
  return moves;
}

}  // namespace loyalty::ledger
