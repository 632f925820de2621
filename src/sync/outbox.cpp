#include "sync/outbox.hpp"

#include <set>

#include "ledger/entry.hpp"
#include "ledger/ledger.hpp"

namespace loyalty::sync {

namespace {
constexpr const char* kEntrySelect =
    "SELECT seq, op_id, kind, account_id, points, amount_minor, currency, reverses_seq, "
    "pending_until, expires_at, at, note, mac, units, ref FROM entries "
    "WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq";

// Resets a statement however the scope is left.
struct ResetOnExit {
  ledger::Statement& s;
  ~ResetOnExit() { s.Reset(); }
};
}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::Prepare(ledger::Database& db) {
  auto state = SyncState::Prepare(db);
  if (!state.ok()) return state.status();
  std::unique_ptr<Outbox> box(new Outbox(std::move(*state)));
  struct Item {
    ledger::Statement* stmt;
    const char* sql;
  };
  const Item items[] = {
      {&box->head_, "SELECT COALESCE(MAX(seq), 0) FROM entries"},
      {&box->unsent_at_, "SELECT at FROM entries WHERE seq = ?1"},
      {&box->open_batch_,
       "SELECT batch_id, first_seq, last_seq, attempts FROM sync_batches "
       "WHERE state = 'open' ORDER BY first_seq LIMIT 1"},
      {&box->insert_batch_,
       "INSERT INTO sync_batches(batch_id, first_seq, last_seq, state, created_at) "
       "VALUES (?1, ?2, ?3, 'open', ?4)"},
      {&box->close_batch_,
       "UPDATE sync_batches SET state = ?2, answered_at = ?3 WHERE batch_id = ?1"},
      {&box->attempt_, "UPDATE sync_batches SET attempts = attempts + 1 WHERE batch_id = ?1"},
      {&box->entries_, kEntrySelect},
      {&box->mac_at_, "SELECT mac FROM entries WHERE seq = ?1"},
      {&box->enrolled_,
       "SELECT DISTINCT account_id FROM entries WHERE seq BETWEEN ?1 AND ?2 "
       "AND kind = 'enroll' ORDER BY account_id"},
      {&box->account_name_, "SELECT name FROM accounts WHERE account_id = ?1"},
      {&box->gift_cards_,
       "SELECT g.account_id, g.card_hash, g.masked FROM gift_cards g WHERE g.account_id IN "
       "(SELECT DISTINCT account_id FROM entries WHERE seq BETWEEN ?1 AND ?2 "
       "AND kind = 'stored_value') ORDER BY g.account_id, g.card_hash"},
      // Codes issued by the batch's operations, with the uses they were
      // issued with (uses left here plus uses made here).
      {&box->coupons_issued_,
       "SELECT c.code, c.coupon_id, c.account_id, c.uses_left + (SELECT count(*) FROM "
       "coupon_uses u WHERE u.code = c.code AND u.reversed = 0), c.expires_at FROM coupons c "
       "WHERE c.issued_op IN (SELECT DISTINCT op_id FROM entries WHERE seq BETWEEN ?1 AND ?2) "
       "ORDER BY c.code"},
      {&box->coupon_uses_,
       "SELECT u.code, u.op_id, u.account_id, u.reversed FROM coupon_uses u WHERE u.op_id IN "
       "(SELECT DISTINCT op_id FROM entries WHERE seq BETWEEN ?1 AND ?2) "
       "ORDER BY u.op_id, u.code"},
      {&box->account_cards_,
       "SELECT card_hash, masked, blocked, enrolled_at FROM cards WHERE account_id = ?1 "
       "ORDER BY enrolled_at, card_hash"},
      {&box->save_receipt_,
       "INSERT OR REPLACE INTO sync_receipts(seq, mac, server_time, signature, verified, "
       "batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&box->save_exception_,
       "INSERT OR IGNORE INTO sync_exceptions(seq, status, reason, batch_id, at) "
       "VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&box->exceptions_,
       "SELECT seq, status, reason, batch_id, at FROM sync_exceptions ORDER BY seq, status"},
      {&box->exception_count_, "SELECT count(*) FROM sync_exceptions"},
  };
  for (const Item& item : items) {
    auto stmt = db.Prepare(item.sql);
    if (!stmt.ok()) return stmt.status();
    *item.stmt = std::move(*stmt);
  }
  return box;
}

Result<std::int64_t> Outbox::HeadSeq() {
  ResetOnExit reset{head_};
  auto row = head_.Step();
  if (!row.ok()) return row.status();
  return head_.Int(0);
}

Result<std::int64_t> Outbox::AckedSeq() {
  auto acked = state_.Int(kAckedSeq);
  if (!acked.ok()) return acked.status();
  return acked->value_or(0);
}

Result<std::optional<std::int64_t>> Outbox::OldestUnsentAt() {
  auto acked = AckedSeq();
  if (!acked.ok()) return acked.status();
  ResetOnExit reset{unsent_at_};
  unsent_at_.Bind(1, *acked + 1);
  auto row = unsent_at_.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(unsent_at_.Int(0));
}

Result<std::optional<Batch>> Outbox::OpenBatch() {
  ResetOnExit reset{open_batch_};
  auto row = open_batch_.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Batch>();
  return std::optional<Batch>(Batch{open_batch_.Text(0), open_batch_.Int(1),
                                    open_batch_.Int(2), open_batch_.Int(3)});
}

template <typename Fn>
Status Outbox::ForEachEntry(std::int64_t from, std::int64_t to, Fn fn) {
  ResetOnExit reset{entries_};
  entries_.Bind(1, from).Bind(2, to);
  for (;;) {
    auto row = entries_.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    auto entry = ledger::Ledger::ReadEntry(entries_);
    if (!entry.ok()) return entry.status();
    if (!fn(*entry)) return Status::Ok();
  }
}

Result<std::optional<Batch>> Outbox::CutBatch(const std::string& batch_id,
                                              const BatchLimits& limits, std::int64_t now) {
  auto acked = AckedSeq();
  if (!acked.ok()) return acked.status();
  auto head = HeadSeq();
  if (!head.ok()) return head.status();
  if (*head <= *acked) return std::optional<Batch>();
  // Measures the body as it would be sent, entry by entry, so the batch
  // stays under max_bytes (one entry always goes, however large).
  BatchBody body("", batch_id, std::string(32, '\0'));
  const std::int64_t last_allowed =
      std::min(*head, *acked + std::max(1, limits.max_entries));
  Status s = ForEachEntry(*acked + 1, last_allowed, [&](const ledger::EntryRecord& e) {
    if (body.count() > 0 && body.SizeWith(e) > limits.max_bytes) return false;
    body.Add(e);
    return true;
  });
  if (!s.ok()) return s;
  if (body.count() == 0) return std::optional<Batch>();
  Batch batch{batch_id, body.first_seq(), body.last_seq(), 0};
  if (Status st = insert_batch_.Bind(1, batch.batch_id).Bind(2, batch.first_seq)
                      .Bind(3, batch.last_seq).Bind(4, now).Run();
      !st.ok()) {
    return st;
  }
  return std::optional<Batch>(batch);
}

Result<std::string> Outbox::MacAt(std::int64_t seq) {
  if (seq <= 0) return std::string(32, '\0');
  ResetOnExit reset{mac_at_};
  mac_at_.Bind(1, seq);
  auto row = mac_at_.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status(StatusCode::kTampered,
                  "entry " + std::to_string(seq) + " is missing from the ledger");
  }
  return mac_at_.Blob(0);
}

Result<std::vector<WireAccount>> Outbox::AccountsEnrolled(std::int64_t first,
                                                          std::int64_t last) {
  std::vector<std::string> ids;
  {
    ResetOnExit reset{enrolled_};
    enrolled_.Bind(1, first).Bind(2, last);
    for (;;) {
      auto row = enrolled_.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ids.push_back(enrolled_.Text(0));
    }
  }
  std::vector<WireAccount> accounts;
  for (const std::string& id : ids) {
    WireAccount account;
    account.account_id = id;
    {
      ResetOnExit reset{account_name_};
      account_name_.Bind(1, id);
      auto row = account_name_.Step();
      if (!row.ok()) return row.status();
      if (*row) account.name = account_name_.Text(0);
    }
    ResetOnExit reset{account_cards_};
    account_cards_.Bind(1, id);
    for (;;) {
      auto row = account_cards_.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      account.cards.push_back({account_cards_.Blob(0), account_cards_.Text(1),
                               account_cards_.Int(2) != 0, account_cards_.Int(3)});
    }
    accounts.push_back(std::move(account));
  }
  return accounts;
}

Result<std::string> Outbox::Body(const std::string& terminal_id, const Batch& batch) {
  auto prev = MacAt(batch.first_seq - 1);
  if (!prev.ok()) return prev.status();
  BatchBody body(terminal_id, batch.batch_id, *prev);
  Status s = ForEachEntry(batch.first_seq, batch.last_seq, [&](const ledger::EntryRecord& e) {
    body.Add(e);
    return true;
  });
  if (!s.ok()) return s;
  if (body.count() != static_cast<std::size_t>(batch.last_seq - batch.first_seq + 1)) {
    return Status(StatusCode::kTampered,
                  "batch " + batch.batch_id + ": entries " + std::to_string(batch.first_seq) +
                      ".." + std::to_string(batch.last_seq) + " are no longer all in the ledger");
  }
  auto accounts = AccountsEnrolled(batch.first_seq, batch.last_seq);
  if (!accounts.ok()) return accounts.status();
  for (const WireAccount& a : *accounts) body.AddAccount(a);
  if (Status added = AddInstruments(batch, body); !added.ok()) return added;
  return body.Finish();
}

Status Outbox::AddInstruments(const Batch& batch, BatchBody& body) {
  // Each query takes the batch's seq range and gives one row per item.
  auto each_row = [&batch](ledger::Statement& s, auto add) -> Status {
    ResetOnExit reset{s};
    s.Bind(1, batch.first_seq).Bind(2, batch.last_seq);
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      add(s);
    }
  };
  if (Status st = each_row(gift_cards_, [&body](ledger::Statement& s) {
        body.AddGiftCard({s.Text(0), s.Blob(1), s.Text(2)});
      });
      !st.ok()) {
    return st;
  }
  if (Status st = each_row(coupons_issued_, [&body](ledger::Statement& s) {
        body.AddCoupon({s.Text(0), s.Text(1), s.Text(2), s.OptionalInt(3), s.OptionalInt(4)});
      });
      !st.ok()) {
    return st;
  }
  return each_row(coupon_uses_, [&body](ledger::Statement& s) {
    body.AddCouponUse({s.Text(0), s.Text(1), s.Text(2), s.Int(3) != 0});
  });
}

Status Outbox::CountAttempt(const Batch& batch) {
  return attempt_.Bind(1, batch.batch_id).Run();
}

Status Outbox::CloseBatch(const Batch& batch, const char* state, std::int64_t now) {
  return close_batch_.Bind(1, batch.batch_id).Bind(2, state).Bind(3, now).Run();
}

Status Outbox::SetAckedSeq(std::int64_t seq) { return state_.SetInt(kAckedSeq, seq); }

Status Outbox::SaveReceipt(const ServerReceipt& receipt, bool verified,
                           const std::string& batch_id) {
  return save_receipt_.Bind(1, receipt.seq).BindBlob(2, receipt.mac)
      .Bind(3, receipt.server_time).BindBlob(4, receipt.signature)
      .Bind(5, std::int64_t{verified ? 1 : 0}).Bind(6, batch_id).Run();
}

Status Outbox::SaveException(const EntryResult& result, const std::string& batch_id,
                             std::int64_t now) {
  return save_exception_.Bind(1, result.seq).Bind(2, result.status).Bind(3, result.reason)
      .Bind(4, batch_id).Bind(5, now).Run();
}

Result<std::vector<SyncException>> Outbox::Exceptions() {
  ResetOnExit reset{exceptions_};
  std::vector<SyncException> out;
  for (;;) {
    auto row = exceptions_.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    SyncException e;
    e.seq = exceptions_.Int(0);
    e.status = exceptions_.Text(1);
    e.reason = exceptions_.Text(2);
    e.batch_id = exceptions_.Text(3);
    e.at = Timestamp(std::chrono::milliseconds(exceptions_.Int(4)));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> Outbox::ExceptionCount() {
  ResetOnExit reset{exception_count_};
  auto row = exception_count_.Step();
  if (!row.ok()) return row.status();
  return exception_count_.Int(0);
}

}  // namespace loyalty::sync
