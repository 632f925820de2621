// Reads of recent activity for the rules (tiers, segments, caps), the
// lines of each sale, and the rewards taken.
#include "ledger/ledger.hpp"
#include "ledger/statements.hpp"

namespace loyalty::ledger {


namespace {

Result<std::map<std::string, std::int64_t>> CountByReward(Statement& s) {
  std::map<std::string, std::int64_t> counts;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    counts[s.Text(0)] = s.Int(1);
  }
  s.Reset();
  return counts;
}

}  // namespace

Status Ledger::PrepareActivity() {
  activity_ = std::make_unique<ActivityStatements>();
  struct Item {
    Statement* stmt;
    const char* sql;
  };
  const Item items[] = {
      // Sales are earn entries with an amount; bonuses carry none.
      // One pass over the account's entries: the sums within [?2, ?3) and
      // the last visit of all time (every rule context reads this, twice
      // per sale).
      {&activity_->activity,
       "SELECT COALESCE(SUM(CASE WHEN at >= ?2 AND at < ?3 THEN CASE kind "
       "  WHEN 'earn' THEN amount_minor WHEN 'earn_reversal' THEN -amount_minor ELSE 0 END "
       "  ELSE 0 END), 0), "
       "COALESCE(SUM(CASE WHEN at >= ?2 AND at < ?3 AND kind IN ('earn', 'earn_reversal') "
       "  THEN points ELSE 0 END), 0), "
       "COALESCE(SUM(at >= ?2 AND at < ?3 AND kind = 'earn' AND amount_minor > 0), 0), "
       "COALESCE(MAX(CASE WHEN kind = 'earn' AND amount_minor > 0 THEN at END), 0) "
       "FROM entries WHERE account_id = ?1"},
      {&activity_->earned,
       "SELECT COALESCE(SUM(points), 0) FROM entries WHERE account_id = ?1 AND +at >= ?2 "
       "AND kind = 'earn' AND amount_minor > 0"},
      {&activity_->insert_line,
       "INSERT INTO sale_lines(op_id, line_no, sku, category, quantity, amount_minor, "
       "discount_minor, points, returned_qty, stamps) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&activity_->lines,
       "SELECT line_no, sku, category, quantity, amount_minor, discount_minor, points, "
       "returned_qty, stamps FROM sale_lines WHERE op_id = ?1 ORDER BY line_no"},
      {&activity_->set_returned,
       "UPDATE sale_lines SET returned_qty = ?3 WHERE op_id = ?1 AND line_no = ?2"},
      {&activity_->insert_use,
       "INSERT INTO reward_uses(op_id, reward_id, account_id, points, code, at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&activity_->reverse_uses, "UPDATE reward_uses SET reversed = 1 WHERE op_id = ?1"},
      {&activity_->uses,
       "SELECT reward_id, count(*) FROM reward_uses WHERE account_id = ?1 AND reversed = 0 "
       "GROUP BY reward_id"},
      {&activity_->stock,
       "SELECT reward_id, count(*) FROM reward_uses WHERE reversed = 0 GROUP BY reward_id"},
      {&activity_->stamps,
       "SELECT ref, SUM(units) FROM entries WHERE account_id = ?1 AND kind = 'stamp' "
       "GROUP BY ref"},
      {&activity_->has_ref,
       "SELECT EXISTS (SELECT 1 FROM entries WHERE account_id = ?1 AND ref = ?2)"},
      {&activity_->insert_hold,
       "INSERT INTO holds(op_id, account_id, points, expires_at, state, payload) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&activity_->find_hold,
       "SELECT op_id, account_id, points, expires_at, state, payload FROM holds "
       "WHERE op_id = ?1"},
      {&activity_->set_hold, "UPDATE holds SET state = ?2 WHERE op_id = ?1"},
      {&activity_->open_holds,
       "SELECT op_id, account_id, points, expires_at, state, payload FROM holds "
       "WHERE account_id = ?1 AND state = 'open' ORDER BY expires_at"},
      {&activity_->insert_coupon,
       "INSERT INTO coupons(code, coupon_id, account_id, uses_left, expires_at, issued_op) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&activity_->find_coupon,
       "SELECT code, coupon_id, account_id, uses_left, expires_at, issued_op FROM coupons "
       "WHERE code = ?1"},
      {&activity_->insert_coupon_use,
       "INSERT INTO coupon_uses(op_id, code, coupon_id, account_id) VALUES (?1, ?2, ?3, ?4)"},
      {&activity_->take_coupon_use,
       "UPDATE coupons SET uses_left = uses_left - 1 WHERE code = ?1 AND uses_left IS NOT NULL"},
      {&activity_->return_coupon_uses,
       "UPDATE coupons SET uses_left = uses_left + 1 WHERE uses_left IS NOT NULL AND code IN "
       "(SELECT code FROM coupon_uses WHERE op_id = ?1 AND reversed = 0)"},
      {&activity_->reverse_coupon_uses,
       "UPDATE coupon_uses SET reversed = 1 WHERE op_id = ?1"},
      {&activity_->coupon_uses,
       "SELECT coupon_id, count(*) FROM coupon_uses WHERE account_id = ?1 AND reversed = 0 "
       "GROUP BY coupon_id"},
      {&activity_->coupons_issued,
       "SELECT code FROM coupons WHERE issued_op = ?1 ORDER BY code"},
      {&activity_->revoke_coupons, "UPDATE coupons SET uses_left = 0 WHERE issued_op = ?1"},
      {&activity_->find_gift_card, "SELECT account_id FROM gift_cards WHERE card_hash = ?1"},
      {&activity_->insert_gift_card,
       "INSERT INTO gift_cards(card_hash, account_id, masked) VALUES (?1, ?2, ?3)"},
      {&activity_->stored_value,
       "SELECT COALESCE(SUM(units), 0) FROM entries WHERE account_id = ?1 "
       "AND kind = 'stored_value' AND ref = ?2"},
      // Loads are the positive entries that reverse nothing; what a void
      // took back from one is a negative entry that reverses it.
      {&activity_->loaded_after,
       "SELECT COALESCE(SUM(units), 0) FROM entries WHERE account_id = ?1 "
       "AND kind = 'stored_value' AND ref = ?2 AND ("
       " (seq > ?3 AND units > 0 AND reverses_seq IS NULL) OR "
       " (units < 0 AND reverses_seq IN (SELECT seq FROM entries l WHERE l.account_id = ?1 "
       "  AND l.kind = 'stored_value' AND l.ref = ?2 AND l.seq > ?3 AND l.units > 0 "
       "  AND l.reverses_seq IS NULL)))"},
      {&activity_->uses_since,
       "SELECT count(*) FROM reward_uses WHERE account_id = ?1 AND reward_id = ?2 "
       "AND reversed = 0 AND at > ?3"},
      {&activity_->card_points,
       "SELECT c.account_id, c.blocked, a.balance, a.debt, "
       // Inside the window the account's cached sums are exact (schema 11);
       // outside it the open lots are summed.
       " CASE WHEN a.lots_from <= ?2 AND ?2 < a.lots_until THEN a.lots_usable ELSE "
       " (SELECT COALESCE(SUM(remaining), 0) FROM lots l WHERE l.account_id = c.account_id "
       "   AND l.remaining > 0 AND l.pending_until <= ?2 AND l.expires_at > ?2) END, "
       " CASE WHEN a.lots_from <= ?2 AND ?2 < a.lots_until THEN a.lots_pending ELSE "
       " (SELECT COALESCE(SUM(remaining), 0) FROM lots l WHERE l.account_id = c.account_id "
       "   AND l.remaining > 0 AND l.pending_until > ?2 AND l.expires_at > ?2) END, "
       " (SELECT COALESCE(SUM(points), 0) FROM holds h WHERE h.account_id = c.account_id "
       "   AND h.state = 'open' AND h.expires_at > ?2), "
       " (SELECT COALESCE(SUM(points), 0) FROM holds h WHERE h.account_id = c.account_id "
       "   AND h.state = 'open' AND h.expires_at <= ?2) "
       "FROM cards c JOIN accounts a ON a.account_id = c.account_id WHERE c.card_hash = ?1"},
      {&activity_->codes,
       "SELECT code FROM reward_uses WHERE op_id = ?1 AND code != '' ORDER BY reward_id"},
  };
  for (const Item& item : items) {
    auto stmt = db_->Prepare(item.sql);
    if (!stmt.ok()) return stmt.status();
    *item.stmt = std::move(*stmt);
  }
  return Status::Ok();
}

Result<Activity> Ledger::ActivitySince(const std::string& account_id, std::int64_t since,
                                      std::int64_t until) {
  Statement& s = activity_->activity;
  s.Bind(1, account_id).Bind(2, since).Bind(3, until);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  Activity a;
  if (*row) {
    a.spend_minor = s.Int(0);
    a.earned = s.Int(1);
    a.visits = s.Int(2);
    a.last_visit_at = s.Int(3);
  }
  s.Reset();
  return a;
}

Result<Points> Ledger::EarnedSince(const std::string& account_id, std::int64_t since) {
  Statement& s = activity_->earned;
  s.Bind(1, account_id).Bind(2, since);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const Points earned = *row ? s.Int(0) : 0;
  s.Reset();
  return earned;
}

Result<bool> Ledger::HasEntryWithRef(const std::string& account_id, const std::string& ref) {
  Statement& s = activity_->has_ref;
  s.Bind(1, account_id).Bind(2, ref);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const bool found = *row && s.Int(0) != 0;
  s.Reset();
  return found;
}

Result<std::optional<Ledger::CardPoints>> Ledger::PointsOfCard(const std::string& card_hash,
                                                                std::int64_t now) {
  Statement& s = activity_->card_points;
  s.BindBlob(1, card_hash).Bind(2, now);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<CardPoints> found;
  if (*row) {
    found = CardPoints{s.Text(0), s.Int(1) != 0, s.Int(2), s.Int(3),
                       s.Int(4),  s.Int(5),      s.Int(6), s.Int(7)};
  }
  s.Reset();
  return found;
}

Result<std::optional<std::string>> Ledger::FindGiftCard(const std::string& card_hash) {
  Statement& s = activity_->find_gift_card;
  s.BindBlob(1, card_hash);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<std::string> found;
  if (*row) found = s.Text(0);
  s.Reset();
  return found;
}

Status Ledger::InsertGiftCard(const std::string& card_hash, const std::string& account_id,
                              const std::string& masked) {
  return activity_->insert_gift_card.BindBlob(1, card_hash).Bind(2, account_id)
      .Bind(3, masked).Run();
}

Result<std::int64_t> Ledger::StoredValue(const std::string& account_id, const std::string& ref) {
  Statement& s = activity_->stored_value;
  s.Bind(1, account_id).Bind(2, ref);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const std::int64_t value = *row ? s.Int(0) : 0;
  s.Reset();
  return value;
}

Result<std::int64_t> Ledger::LoadedAfter(const std::string& account_id, const std::string& ref,
                                         std::int64_t seq) {
  Statement& s = activity_->loaded_after;
  s.Bind(1, account_id).Bind(2, ref).Bind(3, seq);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const std::int64_t value = *row ? s.Int(0) : 0;
  s.Reset();
  return value;
}

Status Ledger::InsertCoupon(const IssuedCoupon& c) {
  return activity_->insert_coupon.Bind(1, c.code).Bind(2, c.coupon_id).Bind(3, c.account_id)
      .Bind(4, c.uses_left).Bind(5, c.expires_at).Bind(6, c.issued_op).Run();
}

Result<std::optional<IssuedCoupon>> Ledger::FindCoupon(const std::string& code) {
  Statement& s = activity_->find_coupon;
  s.Bind(1, code);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<IssuedCoupon> found;
  if (*row) {
    found = IssuedCoupon{s.Text(0), s.Text(1), s.Text(2), s.OptionalInt(3), s.OptionalInt(4),
                         s.Text(5)};
  }
  s.Reset();
  return found;
}

Status Ledger::UseCoupon(const std::string& op_id, const std::string& code,
                         const std::string& coupon_id, const std::string& account_id) {
  if (Status s = activity_->insert_coupon_use.Bind(1, op_id).Bind(2, code).Bind(3, coupon_id)
                     .Bind(4, account_id).Run();
      !s.ok()) {
    return s;
  }
  return activity_->take_coupon_use.Bind(1, code).Run();
}

Status Ledger::ReverseCouponUses(const std::string& op_id) {
  if (Status s = activity_->return_coupon_uses.Bind(1, op_id).Run(); !s.ok()) return s;
  return activity_->reverse_coupon_uses.Bind(1, op_id).Run();
}

Result<std::map<std::string, std::int64_t>> Ledger::CouponUses(const std::string& account_id) {
  activity_->coupon_uses.Bind(1, account_id);
  return CountByReward(activity_->coupon_uses);
}

Result<std::vector<std::string>> Ledger::CouponsIssuedBy(const std::string& op_id) {
  std::vector<std::string> codes;
  Statement& s = activity_->coupons_issued;
  s.Bind(1, op_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    codes.push_back(s.Text(0));
  }
  s.Reset();
  return codes;
}

Status Ledger::RevokeCouponsIssuedBy(const std::string& op_id) {
  return activity_->revoke_coupons.Bind(1, op_id).Run();
}

Status Ledger::InsertHold(const Hold& h) {
  return activity_->insert_hold.Bind(1, h.op_id).Bind(2, h.account_id).Bind(3, h.points)
      .Bind(4, h.expires_at).Bind(5, h.state).Bind(6, h.payload).Run();
}

namespace {

Hold ReadHold(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5)};
}

}  // namespace

Result<std::optional<Hold>> Ledger::FindHold(const std::string& op_id) {
  Statement& s = activity_->find_hold;
  s.Bind(1, op_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<Hold> found;
  if (*row) found = ReadHold(s);
  s.Reset();
  return found;
}

Status Ledger::SetHoldState(const std::string& op_id, const std::string& state) {
  return activity_->set_hold.Bind(1, op_id).Bind(2, state).Run();
}

Result<std::vector<Hold>> Ledger::OpenHolds(const std::string& account_id) {
  std::vector<Hold> holds;
  Statement& s = activity_->open_holds;
  s.Bind(1, account_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    holds.push_back(ReadHold(s));
  }
  s.Reset();
  return holds;
}

Status Ledger::InsertSaleLine(const std::string& op_id, const SaleLine& l) {
  return activity_->insert_line.Bind(1, op_id).Bind(2, l.line_no).Bind(3, l.sku)
      .Bind(4, l.category).Bind(5, l.quantity).Bind(6, l.amount_minor)
      .Bind(7, l.discount_minor).Bind(8, l.points).Bind(9, l.returned_qty)
      .Bind(10, l.stamps).Run();
}

Result<std::vector<SaleLine>> Ledger::SaleLines(const std::string& op_id) {
  std::vector<SaleLine> lines;
  Statement& s = activity_->lines;
  s.Bind(1, op_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    lines.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Int(4), s.Int(5), s.Int(6),
                     s.Int(7), s.Int(8)});
  }
  s.Reset();
  return lines;
}

Status Ledger::SetReturnedQuantity(const std::string& op_id, std::int64_t line_no,
                                   std::int64_t returned_qty) {
  return activity_->set_returned.Bind(1, op_id).Bind(2, line_no).Bind(3, returned_qty).Run();
}

Status Ledger::InsertRewardUse(const std::string& op_id, const std::string& reward_id,
                               const std::string& account_id, Points points,
                               const std::string& code, std::int64_t at) {
  return activity_->insert_use.Bind(1, op_id).Bind(2, reward_id).Bind(3, account_id)
      .Bind(4, points).Bind(5, code).Bind(6, at).Run();
}

Status Ledger::ReverseRewardUses(const std::string& op_id) {
  return activity_->reverse_uses.Bind(1, op_id).Run();
}


Result<std::map<std::string, std::int64_t>> Ledger::RewardUses(const std::string& account_id) {
  activity_->uses.Bind(1, account_id);
  return CountByReward(activity_->uses);
}

Result<std::map<std::string, std::int64_t>> Ledger::RewardStockUsed() {
  return CountByReward(activity_->stock);
}

Result<std::map<std::string, std::int64_t>> Ledger::StampBalances(
    const std::string& account_id) {
  activity_->stamps.Bind(1, account_id);
  return CountByReward(activity_->stamps);
}

Result<std::int64_t> Ledger::RewardUsesSince(const std::string& account_id,
                                             const std::string& reward_id, std::int64_t since) {
  Statement& s = activity_->uses_since;
  s.Bind(1, account_id).Bind(2, reward_id).Bind(3, since);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const std::int64_t n = *row ? s.Int(0) : 0;
  s.Reset();
  return n;
}

Result<std::vector<std::string>> Ledger::VoucherCodes(const std::string& op_id) {
  std::vector<std::string> codes;
  Statement& s = activity_->codes;
  s.Bind(1, op_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    codes.push_back(s.Text(0));
  }
  s.Reset();
  return codes;
}

}  // namespace loyalty::ledger
