#include "sync/snapshots.hpp"

namespace loyalty::sync {

namespace {
struct ResetOnExit {
  ledger::Statement& s;
  ~ResetOnExit() { s.Reset(); }
};

// One integer from a one-row query, `fallback` when there is no row.
Result<std::int64_t> IntOrDefault(ledger::Statement& s, std::int64_t fallback) {
  ResetOnExit reset{s};
  auto row = s.Step();
  if (!row.ok()) return row.status();
  return *row && !s.IsNull(0) ? s.Int(0) : fallback;
}
}  // namespace

Result<std::unique_ptr<Snapshots>> Snapshots::Prepare(ledger::Ledger& ledger) {
  std::unique_ptr<Snapshots> s(new Snapshots(ledger));
  struct Item {
    ledger::Statement* stmt;
    const char* sql;
  };
  const Item items[] = {
      {&s->balance_version_, "SELECT version FROM sync_balances WHERE account_id = ?1"},
      {&s->own_points_,
       "SELECT COALESCE(SUM(points), 0) FROM entries WHERE account_id = ?1 AND seq <= ?2"},
      {&s->save_balance_,
       "INSERT INTO sync_balances(account_id, server_points, version, includes_through_seq, "
       "remote_points, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
       "ON CONFLICT(account_id) DO UPDATE SET server_points = excluded.server_points, "
       "version = excluded.version, includes_through_seq = excluded.includes_through_seq, "
       "remote_points = excluded.remote_points, updated_at = excluded.updated_at"},
      {&s->remote_, "SELECT remote_points FROM sync_balances WHERE account_id = ?1"},
      {&s->value_version_,
       "SELECT version FROM sync_stored_value WHERE account_id = ?1 AND ref = ?2"},
      {&s->own_value_,
       "SELECT COALESCE(SUM(units), 0) FROM entries WHERE account_id = ?1 "
       "AND kind = 'stored_value' AND ref = ?2 AND seq <= ?3"},
      {&s->save_value_,
       "INSERT INTO sync_stored_value(account_id, ref, server_minor, version, "
       "includes_through_seq, remote_minor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
       "ON CONFLICT(account_id, ref) DO UPDATE SET server_minor = excluded.server_minor, "
       "version = excluded.version, includes_through_seq = excluded.includes_through_seq, "
       "remote_minor = excluded.remote_minor, updated_at = excluded.updated_at"},
      {&s->remote_value_,
       "SELECT remote_minor FROM sync_stored_value WHERE account_id = ?1 AND ref = ?2"},
      {&s->merge_coupon_,
       "INSERT INTO coupons(code, coupon_id, account_id, uses_left, expires_at, issued_op) "
       "VALUES (?1, ?2, ?3, ?4, ?5, '') ON CONFLICT(code) DO UPDATE SET uses_left = "
       "CASE WHEN coupons.uses_left IS NULL THEN excluded.uses_left "
       "WHEN excluded.uses_left IS NULL THEN coupons.uses_left "
       "ELSE MIN(coupons.uses_left, excluded.uses_left) END"},
      {&s->save_hot_,
       "INSERT INTO sync_hotlist(card_hash, state, version, updated_at) VALUES (?1, ?2, ?3, ?4) "
       "ON CONFLICT(card_hash) DO UPDATE SET state = excluded.state, "
       "version = excluded.version, updated_at = excluded.updated_at "
       "WHERE excluded.version >= sync_hotlist.version"},
      {&s->hotlisted_,
       "SELECT 1 FROM sync_hotlist WHERE card_hash = ?1 AND state IN ('blocked', 'lost')"},
      {&s->redeemed_,
       "SELECT COALESCE(-SUM(points), 0) FROM entries WHERE account_id = ?1 "
       "AND kind = 'redeem' AND at >= ?2"},
      {&s->save_program_,
       "INSERT INTO sync_programs(version, path, state, reason, at, seal) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
       "ON CONFLICT(version) DO UPDATE SET path = excluded.path, state = excluded.state, "
       "reason = excluded.reason, at = excluded.at, "
       "seal = COALESCE(excluded.seal, sync_programs.seal)"},
      {&s->newest_program_,
       "SELECT version, path, state, COALESCE(seal, X'') FROM sync_programs WHERE state = ?1 "
       "ORDER BY version DESC LIMIT 1"},
      {&s->programs_in_,
       "SELECT version, path, state, COALESCE(seal, X'') FROM sync_programs WHERE state = ?1 "
       "ORDER BY version"},
  };
  for (const Item& item : items) {
    auto stmt = ledger.database().Prepare(item.sql);
    if (!stmt.ok()) return stmt.status();
    *item.stmt = std::move(*stmt);
  }
  return s;
}

Status Snapshots::SaveBalance(const BalanceSnapshot& snapshot, std::int64_t now) {
  balance_version_.Bind(1, snapshot.account_id);
  auto stored = IntOrDefault(balance_version_, -1);
  if (!stored.ok()) return stored.status();
  if (*stored >= snapshot.version) return Status::Ok();
  own_points_.Bind(1, snapshot.account_id).Bind(2, snapshot.includes_through_seq);
  auto own = IntOrDefault(own_points_, 0);
  if (!own.ok()) return own.status();
  return save_balance_.Bind(1, snapshot.account_id).Bind(2, snapshot.points)
      .Bind(3, snapshot.version).Bind(4, snapshot.includes_through_seq)
      .Bind(5, snapshot.points - *own).Bind(6, now).Run();
}

Status Snapshots::MirrorAccount(const BalanceSnapshot& snapshot, std::int64_t now) {
  auto account = ledger_.FindAccount(snapshot.account_id);
  if (!account.ok()) return account.status();
  if (!*account) {
    ledger::AccountRow row;
    row.account_id = snapshot.account_id;
    row.name = snapshot.name;
    row.created_at = now;
    if (Status s = ledger_.InsertAccount(row); !s.ok()) return s;
  }
  for (const WireCard& card : snapshot.cards) {
    if (card.card_hash.size() != 32) continue;
    auto known = ledger_.FindCard(card.card_hash);
    if (!known.ok()) return known.status();
    if (*known) continue;
    if (Status s = ledger_.InsertCard(card.card_hash, snapshot.account_id, card.masked,
                                      card.enrolled_at != 0 ? card.enrolled_at : now);
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status Snapshots::SaveStoredValue(const StoredValueSnapshot& snapshot, std::int64_t now) {
  // A wallet's account arrives with its balance change; a gift card's with
  // its money.
  if (snapshot.gift_card) {
    if (Status s = MirrorGiftCard(*snapshot.gift_card, now); !s.ok()) return s;
  }
  value_version_.Bind(1, snapshot.account_id).Bind(2, snapshot.ref);
  auto stored = IntOrDefault(value_version_, -1);
  if (!stored.ok()) return stored.status();
  if (*stored >= snapshot.version) return Status::Ok();
  own_value_.Bind(1, snapshot.account_id).Bind(2, snapshot.ref)
      .Bind(3, snapshot.includes_through_seq);
  auto own = IntOrDefault(own_value_, 0);
  if (!own.ok()) return own.status();
  return save_value_.Bind(1, snapshot.account_id).Bind(2, snapshot.ref)
      .Bind(3, snapshot.balance_minor).Bind(4, snapshot.version)
      .Bind(5, snapshot.includes_through_seq).Bind(6, snapshot.balance_minor - *own)
      .Bind(7, now).Run();
}

Status Snapshots::MirrorGiftCard(const WireGiftCard& gift, std::int64_t now) {
  if (gift.card_hash.size() != 32) return Status::Ok();
  auto known = ledger_.FindGiftCard(gift.card_hash);
  if (!known.ok()) return known.status();
  if (*known) return Status::Ok();
  auto account = ledger_.FindAccount(gift.account_id);
  if (!account.ok()) return account.status();
  if (!*account) {
    ledger::AccountRow row;
    row.account_id = gift.account_id;
    row.name = "gift card " + gift.masked;
    row.created_at = now;
    if (Status s = ledger_.InsertAccount(row); !s.ok()) return s;
  }
  return ledger_.InsertGiftCard(gift.card_hash, gift.account_id, gift.masked);
}

Result<std::int64_t> Snapshots::RemoteStoredValue(const std::string& account_id,
                                                  const std::string& ref) {
  remote_value_.Bind(1, account_id).Bind(2, ref);
  return IntOrDefault(remote_value_, 0);
}

Status Snapshots::MergeCoupon(const CouponState& coupon) {
  merge_coupon_.Bind(1, coupon.code).Bind(2, coupon.coupon_id).Bind(3, coupon.account_id)
      .Bind(4, coupon.uses_left).Bind(5, coupon.expires_at);
  return merge_coupon_.Run();
}

Result<Points> Snapshots::RemotePoints(const std::string& account_id) {
  remote_.Bind(1, account_id);
  return IntOrDefault(remote_, 0);
}

Status Snapshots::SaveHotlist(const std::string& card_hash, const std::string& state,
                              std::int64_t version, std::int64_t now) {
  return save_hot_.BindBlob(1, card_hash).Bind(2, state).Bind(3, version).Bind(4, now).Run();
}

Result<bool> Snapshots::Hotlisted(const std::string& card_hash) {
  hotlisted_.BindBlob(1, card_hash);
  auto found = IntOrDefault(hotlisted_, 0);
  if (!found.ok()) return found.status();
  return *found != 0;
}

Result<Points> Snapshots::RedeemedSince(const std::string& account_id, std::int64_t since_ms) {
  redeemed_.Bind(1, account_id).Bind(2, since_ms);
  return IntOrDefault(redeemed_, 0);
}

Status Snapshots::SaveProgram(const ProgramRecord& program, const std::string& reason,
                              std::int64_t now) {
  save_program_.Bind(1, program.version).Bind(2, program.path).Bind(3, program.state)
      .Bind(4, reason).Bind(5, now);
  // An update that does not carry the seal keeps the one stored.
  if (program.seal.empty()) {
    save_program_.BindNull(6);
  } else {
    save_program_.BindBlob(6, program.seal);
  }
  return save_program_.Run();
}

Result<std::optional<ProgramRecord>> Snapshots::NewestProgram(const char* state) {
  ResetOnExit reset{newest_program_};
  newest_program_.Bind(1, state);
  auto row = newest_program_.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ProgramRecord>();
  return std::optional<ProgramRecord>(
      ProgramRecord{newest_program_.Int(0), newest_program_.Text(1), newest_program_.Text(2),
                    newest_program_.Blob(3)});
}

Result<std::vector<ProgramRecord>> Snapshots::ProgramsIn(const char* state) {
  ResetOnExit reset{programs_in_};
  programs_in_.Bind(1, state);
  std::vector<ProgramRecord> out;
  for (;;) {
    auto row = programs_in_.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({programs_in_.Int(0), programs_in_.Text(1), programs_in_.Text(2),
                   programs_in_.Blob(3)});
  }
  return out;
}

}  // namespace loyalty::sync
