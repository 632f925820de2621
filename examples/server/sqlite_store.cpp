#include "sqlite_store.hpp"

#include <map>
#include <set>

#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty::server {

using nlohmann::json;

namespace {

// Append only: a released migration is never edited.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS terminals (
  terminal_id TEXT PRIMARY KEY,
  key         BLOB NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0,
  head_seq    INTEGER NOT NULL DEFAULT 0,
  head_mac    BLOB NOT NULL DEFAULT (zeroblob(32))
);
CREATE TABLE IF NOT EXISTS nonces (
  terminal_id TEXT NOT NULL,
  nonce       TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  terminal_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  mac         BLOB NOT NULL,
  op_id       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  account_id  TEXT NOT NULL,
  points      INTEGER NOT NULL,
  status      TEXT NOT NULL,      -- applied, applied_flagged, rejected
  reason      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  batch_id    TEXT NOT NULL,
  PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS batches (
  batch_id    TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  first_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  fingerprint BLOB NOT NULL,
  response    TEXT NOT NULL,
  applied_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  points     INTEGER NOT NULL DEFAULT 0,
  version    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS cards (
  card_hash   BLOB PRIMARY KEY,
  account_id  TEXT NOT NULL,
  masked      TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cards_by_account ON cards(account_id);
CREATE TABLE IF NOT EXISTS hotlist (
  card_hash BLOB PRIMARY KEY,
  state     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS programs (
  version   INTEGER PRIMARY KEY,
  document  TEXT NOT NULL,
  signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS policy (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  offline_after_ms INTEGER,
  redeem_cap       INTEGER
);
CREATE TABLE IF NOT EXISTS changes (
  version INTEGER PRIMARY KEY AUTOINCREMENT,
  kind    TEXT NOT NULL,                 -- balance, hotlist, program, policy
  key     TEXT NOT NULL                  -- account id, hex card hash, program version, ""
);
CREATE INDEX IF NOT EXISTS changes_by_thing ON changes(kind, key, version);
)sql";

// 2: what tills may honour offline: gift cards and money (gift, wallet),
// coupon codes issued at one till and their uses at every till.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS gift_cards (
  card_hash  BLOB PRIMARY KEY,
  account_id TEXT NOT NULL,
  masked     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stored_value (
  account_id    TEXT NOT NULL,
  ref           TEXT NOT NULL,            -- gift, wallet
  balance_minor INTEGER NOT NULL DEFAULT 0,
  version       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, ref)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS coupons (
  code       TEXT PRIMARY KEY,
  coupon_id  TEXT NOT NULL,
  account_id TEXT NOT NULL,
  uses       INTEGER,                     -- NULL: unlimited
  expires_at INTEGER,
  issued_by  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS coupon_uses (
  code        TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  op_id       TEXT NOT NULL,
  account_id  TEXT NOT NULL,
  reversed    INTEGER NOT NULL,
  PRIMARY KEY (code, terminal_id, op_id)
) WITHOUT ROWID;
)sql";

// 3: the operator's view of each terminal (metrics: when it last pushed).
constexpr const char* kSchemaV3 = R"sql(
CREATE INDEX IF NOT EXISTS batches_by_terminal ON batches(terminal_id, applied_at);
)sql";

// The change log's key for money on an account: "<account_id>|<ref>".
std::string ValueKey(const std::string& account_id, const std::string& ref) {
  return account_id + "|" + ref;
}

// Runs `fn(stmt)` for every row.
template <typename Fn>
Status ForEachRow(ledger::Statement& s, Fn fn) {
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    fn(s);
  }
  s.Reset();
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  ledger::DatabaseOptions options;
  options.path = path;
  options.exclusive = false;  // admin commands write while the server runs
  options.busy_timeout_ms = 10'000;
  auto db = ledger::Database::Open(options);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->Exec(kSchemaV1); !s.ok()) return s;
  if (Status s = (*db)->Exec(kSchemaV2); !s.ok()) return s;
  if (Status s = (*db)->Exec(kSchemaV3); !s.ok()) return s;
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db)));
}

Result<std::int64_t> SqliteStore::Scalar(const std::string& sql, const std::string& arg) {
  auto s = db_->Prepare(sql);
  if (!s.ok()) return s.status();
  if (!arg.empty()) s->Bind(1, arg);
  auto row = s->Step();
  if (!row.ok()) return row.status();
  return *row ? s->Int(0) : 0;
}

Result<std::int64_t> SqliteStore::NoteChange(const std::string& kind, const std::string& key) {
  auto s = db_->Prepare("INSERT INTO changes(kind, key) VALUES (?1, ?2) RETURNING version");
  if (!s.ok()) return s.status();
  s->Bind(1, kind).Bind(2, key);
  auto row = s->Step();
  if (!row.ok()) return row.status();
  const std::int64_t version = s->Int(0);
  s->Reset();
  return version;
}

Status SqliteStore::AddTerminal(const std::string& terminal_id, const std::string& key) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto s = db_->Prepare(
      "INSERT INTO terminals(terminal_id, key) VALUES (?1, ?2) "
      "ON CONFLICT(terminal_id) DO UPDATE SET key = excluded.key, revoked = 0");
  if (!s.ok()) return s.status();
  return s->Bind(1, terminal_id).BindBlob(2, key).Run();
}

Result<std::optional<TerminalRecord>> SqliteStore::FindTerminal(const std::string& terminal_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto s = db_->Prepare("SELECT key, revoked FROM terminals WHERE terminal_id = ?1");
  if (!s.ok()) return s.status();
  s->Bind(1, terminal_id);
  auto row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<TerminalRecord>();
  return std::optional<TerminalRecord>(TerminalRecord{terminal_id, s->Blob(0), s->Int(1) != 0});
}

Status SqliteStore::RevokeTerminal(const std::string& terminal_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto s = db_->Prepare("UPDATE terminals SET revoked = 1 WHERE terminal_id = ?1");
  if (!s.ok()) return s.status();
  return s->Bind(1, terminal_id).Run();
}

Result<bool> SqliteStore::RememberNonce(const std::string& terminal_id, const std::string& nonce,
                                        std::int64_t now_ms, std::int64_t expires_at_ms) {
  std::lock_guard<std::mutex> guard(mutex_);
  ledger::Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  auto prune = db_->Prepare("DELETE FROM nonces WHERE expires_at < ?1");
  if (!prune.ok()) return prune.status();
  if (Status s = prune->Bind(1, now_ms).Run(); !s.ok()) return s;
  auto put = db_->Prepare(
      "INSERT INTO nonces(terminal_id, nonce, expires_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING");
  if (!put.ok()) return put.status();
  if (Status s = put->Bind(1, terminal_id).Bind(2, nonce).Bind(3, expires_at_ms).Run(); !s.ok()) {
    return s;
  }
  const bool fresh = db_->Changes() == 1;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return fresh;
}

Result<Answer> SqliteStore::ApplyBatch(const PushBatch& batch, const ledger::Chain& chain,
                                       const ReceiptSigner& signer, std::int64_t now_ms) {
  std::lock_guard<std::mutex> guard(mutex_);
  ledger::Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();

  // 2. The same batch again: the stored answer, byte for byte.
  {
    auto s = db_->Prepare(
        "SELECT first_seq, last_seq, fingerprint, response FROM batches WHERE batch_id = ?1");
    if (!s.ok()) return s.status();
    s->Bind(1, batch.batch_id);
    auto row = s->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      if (s->Int(0) == batch.first_seq && s->Int(1) == batch.last_seq &&
          ledger::SameMac(s->Blob(2), batch.fingerprint)) {
        Answer stored{200, s->Text(3), {}};
        stored.tally.replayed = true;
        return stored;
      }
      return ErrorAnswer(422, "idempotency_mismatch",
                   "batch " + batch.batch_id + " was stored with other entries");
    }
  }

  auto head_row = db_->Prepare("SELECT head_seq, head_mac FROM terminals WHERE terminal_id = ?1");
  if (!head_row.ok()) return head_row.status();
  head_row->Bind(1, batch.terminal_id);
  auto found = head_row->Step();
  if (!found.ok()) return found.status();
  if (!*found) return ErrorAnswer(401, "unknown_terminal", "no terminal " + batch.terminal_id);
  std::int64_t head = head_row->Int(0);
  std::string head_mac = head_row->Blob(1);
  head_row->Reset();

  // 3. A hole: the client rewinds.
  if (batch.first_seq > head + 1) {
    return ErrorAnswer(409, "seq_gap",
                 "batch starts at " + std::to_string(batch.first_seq) + ", the server holds " +
                     std::to_string(head),
                 {{"expected_seq", head + 1}});
  }

  auto stored_mac = db_->Prepare("SELECT mac FROM entries WHERE terminal_id = ?1 AND seq = ?2");
  auto insert = db_->Prepare(
      "INSERT INTO entries(terminal_id, seq, mac, op_id, kind, account_id, points, status, "
      "reason, at, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  auto account = db_->Prepare("SELECT points FROM accounts WHERE account_id = ?1");
  auto add_account = db_->Prepare(
      "INSERT INTO accounts(account_id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  auto move = db_->Prepare(
      "UPDATE accounts SET points = points + ?2 WHERE account_id = ?1 RETURNING points");
  auto card_owner = db_->Prepare("SELECT account_id FROM cards WHERE card_hash = ?1");
  auto add_card = db_->Prepare(
      "INSERT INTO cards(card_hash, account_id, masked, enrolled_at) VALUES (?1, ?2, ?3, ?4)");
  auto hotlisted = db_->Prepare(
      "SELECT 1 FROM cards c JOIN hotlist h ON h.card_hash = c.card_hash "
      "WHERE c.account_id = ?1 AND h.state IN ('blocked', 'lost') LIMIT 1");
  for (auto* s : {&stored_mac, &insert, &account, &add_account, &move, &card_owner, &add_card,
                  &hotlisted}) {
    if (!s->ok()) return s->status();
  }

  std::map<std::string, const AccountInfo*> infos;
  for (const AccountInfo& a : batch.accounts) infos[a.account_id] = &a;
  std::map<std::string, const GiftCardInfo*> gifts;
  for (const GiftCardInfo& g : batch.gift_cards) gifts[g.account_id] = &g;
  auto add_gift = db_->Prepare(
      "INSERT INTO gift_cards(card_hash, account_id, masked) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING");
  auto add_value = db_->Prepare(
      "INSERT INTO stored_value(account_id, ref, balance_minor) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(account_id, ref) DO UPDATE SET "
      "balance_minor = balance_minor + excluded.balance_minor");
  for (auto* s : {&add_gift, &add_value}) {
    if (!s->ok()) return s->status();
  }
  std::set<std::pair<std::string, std::string>> values_touched;

  json results = json::array();
  PushTally tally;
  std::set<std::string> touched;
  bool halted = false;
  std::string prev = batch.prev_mac;
  for (const ledger::EntryRecord& e : batch.entries) {
    const std::string implied_prev = prev;
    prev = e.mac;
    if (e.seq <= head) {
      // 4. Seen before: the same content, or a fork.
      stored_mac->Bind(1, batch.terminal_id).Bind(2, e.seq);
      auto row = stored_mac->Step();
      if (!row.ok()) return row.status();
      const bool same = *row && ledger::SameMac(stored_mac->Blob(0), e.mac);
      stored_mac->Reset();
      if (same) {
        ++tally.duplicates;
        results.push_back({{"seq", e.seq}, {"status", "duplicate"}});
        touched.insert(e.account_id);
        continue;
      }
      results.push_back({{"seq", e.seq}, {"status", "conflict"},
                         {"reason", "seq " + std::to_string(e.seq) + " was stored with another mac"}});
      halted = true;
      break;
    }
    if (!ledger::SameMac(implied_prev, head_mac)) {
      return ErrorAnswer(409, "chain_mismatch",
                   "entry " + std::to_string(e.seq) + " does not chain onto the stored head " +
                       std::to_string(head),
                   {{"seq", e.seq}});
    }
    std::string status = "applied";
    std::string reason;
    auto entry_exists = [&]() -> Result<bool> {
      account->Bind(1, e.account_id);
      auto row = account->Step();
      if (!row.ok()) return row.status();
      const bool exists = *row;
      account->Reset();
      return exists;
    };
    if (!ledger::SameMac(chain.EntryMac(implied_prev, e), e.mac)) {
      status = "rejected";
      reason = "bad_mac";
    } else if (e.kind == EntryKind::kProgram) {
      // The program the till put in force: kept in the chain, moves nothing.
    } else if (e.kind == EntryKind::kEnroll) {
      auto info = infos.find(e.account_id);
      add_account->Bind(1, e.account_id)
          .Bind(2, info != infos.end() ? info->second->name : std::string());
      if (Status s = add_account->Run(); !s.ok()) return s;
      if (info != infos.end()) {
        for (const CardInfo& card : info->second->cards) {
          card_owner->BindBlob(1, card.card_hash);
          auto row = card_owner->Step();
          if (!row.ok()) return row.status();
          const std::string owner = *row ? card_owner->Text(0) : std::string();
          card_owner->Reset();
          if (owner.empty()) {
            add_card->BindBlob(1, card.card_hash).Bind(2, e.account_id).Bind(3, card.masked)
                .Bind(4, card.enrolled_at != 0 ? card.enrolled_at : e.at);
            if (Status s = add_card->Run(); !s.ok()) return s;
          } else if (owner != e.account_id) {
            status = "applied_flagged";
            reason = "card_enrolled_elsewhere";
          }
        }
      }
      touched.insert(e.account_id);
    } else {
      auto exists = entry_exists();
      if (!exists.ok()) return exists.status();
      auto gift = gifts.find(e.account_id);
      if (!*exists && gift != gifts.end()) {
        // A gift card's account starts with its first load, not an enroll.
        add_account->Bind(1, e.account_id).Bind(2, "gift card " + gift->second->masked);
        if (Status s = add_account->Run(); !s.ok()) return s;
        add_gift->BindBlob(1, gift->second->card_hash).Bind(2, e.account_id)
            .Bind(3, gift->second->masked);
        if (Status s = add_gift->Run(); !s.ok()) return s;
      } else if (!*exists) {
        status = "rejected";
        reason = "unknown_account";
      }
    }
    if (status != "rejected" && e.kind == EntryKind::kStoredValue && e.units && e.ref) {
      add_value->Bind(1, e.account_id).Bind(2, *e.ref).Bind(3, *e.units);
      if (Status s = add_value->Run(); !s.ok()) return s;
      values_touched.insert({e.account_id, *e.ref});
    }
    if (status != "rejected" && e.kind != EntryKind::kEnroll && e.points != 0) {
      move->Bind(1, e.account_id).Bind(2, e.points);
      auto row = move->Step();
      if (!row.ok()) return row.status();
      const std::int64_t balance = move->Int(0);
      move->Reset();
      hotlisted->Bind(1, e.account_id);
      auto listed = hotlisted->Step();
      if (!listed.ok()) return listed.status();
      hotlisted->Reset();
      if (balance < 0 && e.points < 0) {
        status = "applied_flagged";
        reason = "balance_negative";  // it happened at the till: never refused
      } else if (*listed) {
        status = "applied_flagged";
        reason = "card_hotlisted";
      }
      touched.insert(e.account_id);
    }
    insert->Bind(1, batch.terminal_id).Bind(2, e.seq).BindBlob(3, e.mac).Bind(4, e.op_id)
        .Bind(5, EntryKindName(e.kind)).Bind(6, e.account_id).Bind(7, e.points).Bind(8, status)
        .Bind(9, reason).Bind(10, e.at).Bind(11, batch.batch_id);
    if (Status s = insert->Run(); !s.ok()) return s;
    ++(status == "applied" ? tally.applied : status == "rejected" ? tally.rejected : tally.flagged);
    if (status != "applied") {
      results.push_back({{"seq", e.seq}, {"status", status}, {"reason", reason}});
    }
    head = e.seq;
    head_mac = e.mac;
  }

  auto save_head = db_->Prepare(
      "UPDATE terminals SET head_seq = ?2, head_mac = ?3 WHERE terminal_id = ?1");
  if (!save_head.ok()) return save_head.status();
  if (Status s = save_head->Bind(1, batch.terminal_id).Bind(2, head).BindBlob(3, head_mac).Run();
      !s.ok()) {
    return s;
  }

  json balances = json::array();
  auto bump = db_->Prepare(
      "UPDATE accounts SET version = ?2 WHERE account_id = ?1 RETURNING points, version");
  if (!bump.ok()) return bump.status();
  for (const std::string& id : touched) {
    auto version = NoteChange("balance", id);
    if (!version.ok()) return version.status();
    bump->Bind(1, id).Bind(2, *version);
    auto row = bump->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      balances.push_back({{"account_id", id}, {"points", bump->Int(0)},
                          {"version", bump->Int(1)}, {"includes_through_seq", head}});
    }
    bump->Reset();
  }

  auto value_version = db_->Prepare(
      "UPDATE stored_value SET version = ?3 WHERE account_id = ?1 AND ref = ?2");
  if (!value_version.ok()) return value_version.status();
  for (const auto& [account_id, ref] : values_touched) {
    auto version = NoteChange("stored_value", ValueKey(account_id, ref));
    if (!version.ok()) return version.status();
    if (Status s = value_version->Bind(1, account_id).Bind(2, ref).Bind(3, *version).Run();
        !s.ok()) {
      return s;
    }
  }
  if (Status s = ApplyCoupons(batch); !s.ok()) return s;

  json answer = {{"protocol", 1},          {"batch_id", batch.batch_id},
                 {"acked_through_seq", head}, {"halted", halted},
                 {"results", results},       {"balances", balances},
                 {"server_time", now_ms}};
  if (head > 0) {
    sync::ServerReceipt receipt{batch.terminal_id, head, head_mac, now_ms, ""};
    receipt.signature = signer.Sign(sync::ReceiptMessage(receipt));
    answer["receipt"] = {{"terminal_id", batch.terminal_id}, {"seq", head},
                         {"mac", trust::ToHex(head_mac)}, {"server_time", now_ms},
                         {"signature", trust::ToBase64(receipt.signature)}};
  }
  const std::string body = answer.dump();
  auto keep = db_->Prepare(
      "INSERT INTO batches(batch_id, terminal_id, first_seq, last_seq, fingerprint, response, "
      "applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!keep.ok()) return keep.status();
  if (Status s = keep->Bind(1, batch.batch_id).Bind(2, batch.terminal_id)
                     .Bind(3, batch.first_seq).Bind(4, batch.last_seq)
                     .BindBlob(5, batch.fingerprint).Bind(6, body).Bind(7, now_ms).Run();
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return Answer{200, body, tally};
}

Status SqliteStore::ApplyCoupons(const PushBatch& batch) {
  auto issue = db_->Prepare(
      "INSERT INTO coupons(code, coupon_id, account_id, uses, expires_at, issued_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO NOTHING");
  auto use = db_->Prepare(
      "INSERT INTO coupon_uses(code, terminal_id, op_id, account_id, reversed) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(code, terminal_id, op_id) DO UPDATE SET "
      "reversed = excluded.reversed WHERE reversed != excluded.reversed");
  auto known = db_->Prepare("SELECT 1 FROM coupons WHERE code = ?1");
  for (auto* s : {&issue, &use, &known}) {
    if (!s->ok()) return s->status();
  }
  std::set<std::string> changed;
  for (const CouponInfo& c : batch.coupons) {
    issue->Bind(1, c.code).Bind(2, c.coupon_id).Bind(3, c.account_id).Bind(4, c.uses)
        .Bind(5, c.expires_at).Bind(6, batch.terminal_id);
    if (Status s = issue->Run(); !s.ok()) return s;
    if (db_->Changes() > 0) changed.insert(c.code);
  }
  for (const CouponUseInfo& u : batch.coupon_uses) {
    use->Bind(1, u.code).Bind(2, batch.terminal_id).Bind(3, u.op_id).Bind(4, u.account_id)
        .Bind(5, std::int64_t{u.reversed ? 1 : 0});
    if (Status s = use->Run(); !s.ok()) return s;
    if (db_->Changes() == 0) continue;
    // Campaign codes live in the program, not here: only issued codes are
    // sent back to the tills.
    known->Bind(1, u.code);
    auto row = known->Step();
    if (!row.ok()) return row.status();
    if (*row) changed.insert(u.code);
    known->Reset();
  }
  for (const std::string& code : changed) {
    if (auto version = NoteChange("coupon", code); !version.ok()) return version.status();
  }
  return Status::Ok();
}

Result<json> SqliteStore::Changes(const std::string& terminal_id, std::int64_t cursor, int limit,
                                  std::int64_t now_ms) {
  std::lock_guard<std::mutex> guard(mutex_);
  // A read transaction: the page is one consistent state.
  if (Status s = db_->Exec("BEGIN"); !s.ok()) return s;
  struct Rollback {
    ledger::Database& db;
    ~Rollback() { (void)db.Exec("ROLLBACK"); }
  } rollback{*db_};
  auto head = db_->Prepare("SELECT head_seq FROM terminals WHERE terminal_id = ?1");
  if (!head.ok()) return head.status();
  head->Bind(1, terminal_id);
  auto head_row = head->Step();
  if (!head_row.ok()) return head_row.status();
  const std::int64_t includes = *head_row ? head->Int(0) : 0;

  // Each thing once, at its newest version, oldest first.
  auto page = db_->Prepare(
      "SELECT kind, key, MAX(version) AS v FROM changes WHERE version > ?1 "
      "GROUP BY kind, key ORDER BY v LIMIT ?2");
  auto account = db_->Prepare("SELECT name, points, version FROM accounts WHERE account_id = ?1");
  auto cards = db_->Prepare(
      "SELECT card_hash, masked, enrolled_at FROM cards WHERE account_id = ?1 "
      "ORDER BY enrolled_at, card_hash");
  auto hot = db_->Prepare("SELECT state FROM hotlist WHERE card_hash = ?1");
  auto program = db_->Prepare("SELECT document, signature FROM programs WHERE version = ?1");
  auto policy = db_->Prepare("SELECT offline_after_ms, redeem_cap FROM policy WHERE id = 1");
  auto value = db_->Prepare(
      "SELECT balance_minor, version FROM stored_value WHERE account_id = ?1 AND ref = ?2");
  auto gift = db_->Prepare(
      "SELECT card_hash, masked FROM gift_cards WHERE account_id = ?1 ORDER BY card_hash "
      "LIMIT 1");
  auto coupon = db_->Prepare(
      "SELECT coupon_id, account_id, uses - (SELECT count(*) FROM coupon_uses u "
      "WHERE u.code = c.code AND u.reversed = 0), expires_at FROM coupons c WHERE code = ?1");
  for (auto* s : {&page, &account, &cards, &hot, &program, &policy, &value, &gift, &coupon}) {
    if (!s->ok()) return s->status();
  }
  json changes = json::array();
  std::int64_t next = cursor;
  page->Bind(1, cursor).Bind(2, std::int64_t{limit});
  struct Item {
    std::string kind, key;
    std::int64_t version;
  };
  std::vector<Item> items;
  if (Status s = ForEachRow(*page, [&](ledger::Statement& r) {
        items.push_back({r.Text(0), r.Text(1), r.Int(2)});
      });
      !s.ok()) {
    return s;
  }
  for (const Item& item : items) {
    next = item.version;
    if (item.kind == "balance") {
      account->Bind(1, item.key);
      auto row = account->Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        account->Reset();
        continue;
      }
      json c = {{"kind", "balance"}, {"account_id", item.key}, {"name", account->Text(0)},
                {"points", account->Int(1)}, {"version", account->Int(2)},
                {"includes_through_seq", includes}};
      account->Reset();
      json list = json::array();
      cards->Bind(1, item.key);
      if (Status s = ForEachRow(*cards, [&](ledger::Statement& r) {
            list.push_back({{"card_hash", trust::ToHex(r.Blob(0))}, {"masked", r.Text(1)},
                            {"enrolled_at", r.Int(2)}});
          });
          !s.ok()) {
        return s;
      }
      c["cards"] = list;
      changes.push_back(c);
    } else if (item.kind == "hotlist") {
      auto hash = trust::FromHex(item.key);
      if (!hash) continue;
      hot->BindBlob(1, *hash);
      auto row = hot->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        changes.push_back({{"kind", "hotlist"}, {"card_hash", item.key},
                           {"state", hot->Text(0)}, {"version", item.version}});
      }
      hot->Reset();
    } else if (item.kind == "program") {
      program->Bind(1, std::stoll(item.key));
      auto row = program->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        changes.push_back({{"kind", "program"}, {"version", std::stoll(item.key)},
                           {"document", program->Text(0)},
                           {"signature", trust::ToBase64(program->Blob(1))}});
      }
      program->Reset();
    } else if (item.kind == "stored_value") {
      const auto bar = item.key.rfind('|');
      if (bar == std::string::npos) continue;
      const std::string account_id = item.key.substr(0, bar);
      const std::string ref = item.key.substr(bar + 1);
      value->Bind(1, account_id).Bind(2, ref);
      auto row = value->Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        value->Reset();
        continue;
      }
      json c = {{"kind", "stored_value"}, {"account_id", account_id}, {"ref", ref},
                {"balance_minor", value->Int(0)}, {"version", value->Int(1)},
                {"includes_through_seq", includes}};
      value->Reset();
      if (ref == "gift") {
        gift->Bind(1, account_id);
        auto card = gift->Step();
        if (!card.ok()) return card.status();
        if (*card) {
          c["gift_card"] = {{"card_hash", trust::ToHex(gift->Blob(0))}, {"masked", gift->Text(1)}};
        }
        gift->Reset();
      }
      changes.push_back(c);
    } else if (item.kind == "coupon") {
      coupon->Bind(1, item.key);
      auto row = coupon->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        json c = {{"kind", "coupon"}, {"code", item.key}, {"coupon_id", coupon->Text(0)},
                  {"account_id", coupon->Text(1)}, {"version", item.version}};
        c["uses_left"] = coupon->IsNull(2) ? json(nullptr)
                                           : json(std::max<std::int64_t>(0, coupon->Int(2)));
        c["expires_at"] = coupon->IsNull(3) ? json(nullptr) : json(coupon->Int(3));
        changes.push_back(c);
      }
      coupon->Reset();
    } else if (item.kind == "policy") {
      auto row = policy->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        json c = {{"kind", "policy"}, {"version", item.version}};
        if (!policy->IsNull(0)) c["offline_after_ms"] = policy->Int(0);
        if (!policy->IsNull(1)) c["offline_redeem_cap_per_card_per_day"] = policy->Int(1);
        changes.push_back(c);
      }
      policy->Reset();
    }
  }
  auto more = db_->Prepare("SELECT EXISTS (SELECT 1 FROM changes WHERE version > ?1)");
  if (!more.ok()) return more.status();
  more->Bind(1, next);
  auto more_row = more->Step();
  if (!more_row.ok()) return more_row.status();
  return json{{"protocol", 1},
              {"changes", changes},
              {"next_cursor", std::to_string(next)},
              {"has_more", more->Int(0) != 0},
              {"server_time", now_ms}};
}

Status SqliteStore::AddProgram(std::int64_t version, const std::string& document,
                               const std::string& signature) {
  std::lock_guard<std::mutex> guard(mutex_);
  ledger::Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  auto s = db_->Prepare("INSERT INTO programs(version, document, signature) VALUES (?1, ?2, ?3)");
  if (!s.ok()) return s.status();
  if (Status st = s->Bind(1, version).Bind(2, document).BindBlob(3, signature).Run(); !st.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "program version " + std::to_string(version) + ": " + st.message());
  }
  if (auto v = NoteChange("program", std::to_string(version)); !v.ok()) return v.status();
  return tx.Commit();
}

Status SqliteStore::SetHotlist(const std::string& card_hash, const std::string& state) {
  std::lock_guard<std::mutex> guard(mutex_);
  ledger::Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  auto s = db_->Prepare(
      "INSERT INTO hotlist(card_hash, state) VALUES (?1, ?2) "
      "ON CONFLICT(card_hash) DO UPDATE SET state = excluded.state");
  if (!s.ok()) return s.status();
  if (Status st = s->BindBlob(1, card_hash).Bind(2, state).Run(); !st.ok()) return st;
  if (auto v = NoteChange("hotlist", trust::ToHex(card_hash)); !v.ok()) return v.status();
  return tx.Commit();
}

Status SqliteStore::SetPolicy(std::optional<std::int64_t> offline_after_ms,
                              std::optional<std::int64_t> redeem_cap) {
  std::lock_guard<std::mutex> guard(mutex_);
  ledger::Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  auto s = db_->Prepare(
      "INSERT INTO policy(id, offline_after_ms, redeem_cap) VALUES (1, ?1, ?2) "
      "ON CONFLICT(id) DO UPDATE SET "
      "offline_after_ms = COALESCE(excluded.offline_after_ms, policy.offline_after_ms), "
      "redeem_cap = COALESCE(excluded.redeem_cap, policy.redeem_cap)");
  if (!s.ok()) return s.status();
  if (Status st = s->Bind(1, offline_after_ms).Bind(2, redeem_cap).Run(); !st.ok()) return st;
  if (auto v = NoteChange("policy", ""); !v.ok()) return v.status();
  return tx.Commit();
}

Result<std::optional<AccountBalance>> SqliteStore::Balance(const std::string& account_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto s = db_->Prepare("SELECT name, points, version FROM accounts WHERE account_id = ?1");
  if (!s.ok()) return s.status();
  s->Bind(1, account_id);
  auto row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<AccountBalance>();
  return std::optional<AccountBalance>(
      AccountBalance{account_id, s->Text(0), s->Int(1), s->Int(2)});
}

Result<std::int64_t> SqliteStore::StoredEntries(const std::string& terminal_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  return Scalar("SELECT count(*) FROM entries WHERE terminal_id = ?1", terminal_id);
}

Result<std::int64_t> SqliteStore::StoredValue(const std::string& account_id,
                                              const std::string& ref) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto s = db_->Prepare(
      "SELECT balance_minor FROM stored_value WHERE account_id = ?1 AND ref = ?2");
  if (!s.ok()) return s.status();
  s->Bind(1, account_id).Bind(2, ref);
  auto row = s->Step();
  if (!row.ok()) return row.status();
  return *row ? s->Int(0) : 0;
}

Result<std::int64_t> SqliteStore::SumOfBalances() {
  std::lock_guard<std::mutex> guard(mutex_);
  return Scalar("SELECT COALESCE(SUM(points), 0) FROM accounts");
}

}  // namespace loyalty::server

namespace loyalty::server {

Result<std::int64_t> SqliteStore::BalancesDisagreeing() {
  std::lock_guard<std::mutex> guard(mutex_);
  return Scalar(
      "SELECT count(*) FROM accounts a LEFT JOIN (SELECT account_id, SUM(points) AS total "
      "FROM entries WHERE status != 'rejected' AND kind != 'enroll' GROUP BY account_id) e "
      "ON e.account_id = a.account_id WHERE a.points != COALESCE(e.total, 0)");
}

Result<std::int64_t> SqliteStore::TotalEntries() {
  std::lock_guard<std::mutex> guard(mutex_);
  return Scalar("SELECT count(*) FROM entries");
}

Result<std::vector<TerminalState>> SqliteStore::Terminals() {
  std::lock_guard<std::mutex> guard(mutex_);
  // The batch that moved the head last is the newest one of the terminal.
  auto s = db_->Prepare(
      "SELECT t.terminal_id, t.head_seq, e.at, "
      "(SELECT MAX(applied_at) FROM batches b WHERE b.terminal_id = t.terminal_id) "
      "FROM terminals t LEFT JOIN entries e ON e.terminal_id = t.terminal_id "
      "AND e.seq = t.head_seq ORDER BY t.terminal_id");
  if (!s.ok()) return s.status();
  std::vector<TerminalState> out;
  if (Status st = ForEachRow(*s, [&](ledger::Statement& r) {
        TerminalState t;
        t.terminal_id = r.Text(0);
        t.head_seq = r.Int(1);
        if (!r.IsNull(2)) t.head_at = r.Int(2);
        if (!r.IsNull(3)) t.last_push_at = r.Int(3);
        out.push_back(std::move(t));
      });
      !st.ok()) {
    return st;
  }
  return out;
}

Status SqliteStore::Ping() {
  std::lock_guard<std::mutex> guard(mutex_);
  auto v = Scalar("SELECT count(*) FROM terminals");
  return v.ok() ? Status::Ok() : v.status();
}

}  // namespace loyalty::server
