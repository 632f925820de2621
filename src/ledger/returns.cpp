// What a return may take back and give back: the lines each reward bound
// to lines paid for, and the points of a lot that expired on their own.
#include "ledger/ledger.hpp"
#include "ledger/statements.hpp"

namespace loyalty::ledger {

Status Ledger::PrepareReturns() {
  returns_ = std::make_unique<ReturnStatements>();
  struct Item {
    Statement* stmt;
    const char* sql;
  };
  const Item items[] = {
      {&returns_->insert_reward_line,
       "INSERT INTO reward_lines(op_id, item, reward_id, line_no, discount_minor) "
       "VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&returns_->reward_lines,
       "SELECT u.reward_id, u.points, l.line_no, l.discount_minor FROM reward_lines l "
       "JOIN reward_uses u ON u.op_id = l.op_id AND u.reward_id = l.reward_id "
       "WHERE l.op_id = ?1 ORDER BY u.reward_id, l.line_no"},
      {&returns_->reverse_use,
       "UPDATE reward_uses SET reversed = 1 WHERE op_id = ?1 AND reward_id = ?2"},
      // The expiry entries after the lot's own, by the account's index,
      // each joined to its move of this lot by the moves' key.
      {&returns_->expired_from_lot,
       "SELECT COALESCE(SUM(m.points), 0) FROM entries e "
       "JOIN lot_moves m ON m.entry_seq = e.seq AND m.lot_id = ?2 "
       "WHERE e.account_id = ?1 AND e.seq > ?2 AND e.kind = 'expire'"},
      {&returns_->mark_lines_returned,
       "UPDATE sale_lines SET returned_qty = quantity WHERE op_id = ?1"},
      // As InactiveAccounts: a sale or a redemption is activity.
      {&returns_->last_activity,
       "SELECT COALESCE(MAX(at), -9223372036854775807 - 1) FROM entries "
       "WHERE account_id = ?1 AND kind IN ('earn', 'redeem')"},
  };
  for (const Item& item : items) {
    auto stmt = db_->Prepare(item.sql);
    if (!stmt.ok()) return stmt.status();
    *item.stmt = std::move(*stmt);
  }
  return Status::Ok();
}

Status Ledger::InsertRewardLine(const std::string& op_id, std::int64_t item,
                                const std::string& reward_id, std::int64_t line_no,
                                std::int64_t discount_minor) {
  return returns_->insert_reward_line.Bind(1, op_id)
      .Bind(2, item)
      .Bind(3, reward_id)
      .Bind(4, line_no)
      .Bind(5, discount_minor)
      .Run();
}

Result<std::vector<BoundReward>> Ledger::BoundRewards(const std::string& op_id) {
  Statement& s = returns_->reward_lines;
  s.Bind(1, op_id);
  std::vector<BoundReward> rewards;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) {
      s.Reset();
      return row.status();
    }
    if (!*row) break;
    if (rewards.empty() || rewards.back().reward_id != s.Text(0)) {
      rewards.push_back({s.Text(0), s.Int(1), {}});
    }
    rewards.back().discounts[s.Int(2)] = s.Int(3);
  }
  s.Reset();
  return rewards;
}

Status Ledger::ReverseRewardUse(const std::string& op_id, const std::string& reward_id) {
  return returns_->reverse_use.Bind(1, op_id).Bind(2, reward_id).Run();
}

Result<Points> Ledger::ExpiredFromLot(const std::string& account_id, std::int64_t lot_id) {
  Statement& s = returns_->expired_from_lot;
  s.Bind(1, account_id).Bind(2, lot_id);
  auto row = s.Step();
  if (!row.ok()) {
    s.Reset();
    return row.status();
  }
  const Points moved = *row ? s.Int(0) : 0;  // negative: points left the lot
  s.Reset();
  return -moved;
}

Result<std::int64_t> Ledger::LastActivity(const std::string& account_id) {
  Statement& s = returns_->last_activity;
  s.Bind(1, account_id);
  auto row = s.Step();
  if (!row.ok()) {
    s.Reset();
    return row.status();
  }
  const std::int64_t at = *row ? s.Int(0) : INT64_MIN;
  s.Reset();
  return at;
}

Status Ledger::MarkLinesReturned(const std::string& op_id) {
  return returns_->mark_lines_returned.Bind(1, op_id).Run();
}

}  // namespace loyalty::ledger
