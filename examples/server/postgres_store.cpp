#include "postgres_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty::server {

using nlohmann::json;
using pg::Bytes;
using pg::Int;
using pg::Text;

namespace {

// pg_advisory_xact_lock key of the change log ("loyaltc"): versions are
// handed out under it and it is held until commit, so a pull that sees
// version v also sees every smaller version that will ever commit.
constexpr std::int64_t kChangeLogLock = 0x6c6f79616c7463;
// A transaction failing with 40001/40P01 runs again, this often at most.
constexpr int kAttempts = 8;

std::string ValueKey(const std::string& account_id, const std::string& ref) {
  return account_id + "|" + ref;
}

// Sets and lists go to the database as one JSON parameter, unpacked there
// (jsonb_array_elements_text, jsonb_to_recordset): one round trip for a
// whole batch, and nlohmann does the quoting.
std::string JsonList(const std::set<std::string>& items) {
  json a = json::array();
  for (const std::string& i : items) a.push_back(i);
  return a.dump();
}

json Optional(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

const char* const kKindEnroll = "enroll";
const char* const kKindStoredValue = "stored_value";

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& conninfo,
                                                           int connections) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(conninfo, std::max(1, connections)));
  {
    auto c = store->pool_.Acquire();
    if (!c.ok()) return c.status();
    if (Status s = MigratePostgres(**c); !s.ok()) return s;
  }
  return store;
}

template <typename T, typename Fn>
Result<T> PostgresStore::Retrying(Fn fn) {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    Result<T> r = fn(**lease);
    if (r.ok() || !pg::Retryable(r.status()) || attempt == kAttempts) return r;
    ++retries_;
  }
}

Result<std::int64_t> PostgresStore::Scalar(const std::string& sql,
                                           const std::vector<pg::Param>& params) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Exec(sql, params);
  if (!rows.ok()) return rows.status();
  return rows->size() > 0 && !rows->IsNull(0, 0) ? rows->Int(0, 0) : 0;
}

Status PostgresStore::NoteChange(pg::Connection& c, const std::string& kind,
                                 const std::string& key) {
  if (Status s = c.Run("SELECT pg_advisory_xact_lock($1)", {Int(kChangeLogLock)}); !s.ok()) {
    return s;
  }
  return c.Run(
      "INSERT INTO changes(kind, key, version) VALUES ($1, $2, nextval('change_version')) "
      "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version",
      {Text(kind), Text(key)});
}

Status PostgresStore::AddTerminal(const std::string& terminal_id, const std::string& key) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  return (*c)->Run(
      "INSERT INTO terminals(terminal_id, key) VALUES ($1, $2) "
      "ON CONFLICT (terminal_id) DO UPDATE SET key = excluded.key, revoked = false",
      {Text(terminal_id), Bytes(key)});
}

Result<std::optional<TerminalRecord>> PostgresStore::FindTerminal(const std::string& terminal_id) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Exec("SELECT key, revoked FROM terminals WHERE terminal_id = $1",
                         {Text(terminal_id)});
  if (!rows.ok()) return rows.status();
  if (rows->size() == 0) return std::optional<TerminalRecord>();
  return std::optional<TerminalRecord>(
      TerminalRecord{terminal_id, rows->Bytes(0, 0), rows->Text(0, 1) == "t"});
}

Status PostgresStore::RevokeTerminal(const std::string& terminal_id) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  return (*c)->Run("UPDATE terminals SET revoked = true WHERE terminal_id = $1",
                   {Text(terminal_id)});
}

Result<bool> PostgresStore::RememberNonce(const std::string& terminal_id, const std::string& nonce,
                                          std::int64_t now_ms, std::int64_t expires_at_ms) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  // A nonce whose memory ran out counts as new: expired rows may linger
  // until the next prune.
  auto put = (*c)->Exec(
      "INSERT INTO nonces(terminal_id, nonce, expires_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (terminal_id, nonce) DO UPDATE SET expires_at = excluded.expires_at "
      "WHERE nonces.expires_at < $4",
      {Text(terminal_id), Text(nonce), Int(expires_at_ms), Int(now_ms)});
  if (!put.ok()) return put.status();
  // Pruned once a minute per process, not on every request.
  std::int64_t last = nonces_pruned_at_.load();
  if (now_ms - last > 60'000 && nonces_pruned_at_.compare_exchange_strong(last, now_ms)) {
    if (Status s = (*c)->Run("DELETE FROM nonces WHERE expires_at < $1", {Int(now_ms)}); !s.ok()) {
      return s;
    }
  }
  return put->affected() == 1;
}

Result<Answer> PostgresStore::ApplyBatch(const PushBatch& batch, const ledger::Chain& chain,
                                         const ReceiptSigner& signer, std::int64_t now_ms) {
  return Retrying<Answer>([&](pg::Connection& c) {
    return ApplyOnce(c, batch, chain, signer, now_ms);
  });
}

Result<Answer> PostgresStore::ApplyOnce(pg::Connection& c, const PushBatch& batch,
                                        const ledger::Chain& chain, const ReceiptSigner& signer,
                                        std::int64_t now_ms) {
  pg::Transaction tx(c);
  if (!tx.begun().ok()) return tx.begun();
  const std::string& terminal_id = batch.terminal_id;

  // 1. The terminal's head row, locked until commit: another batch of this
  // terminal (from this process or another) waits here, then sees this
  // one's result; other terminals are not held up.
  auto head_row = c.Exec("SELECT head_seq, head_mac FROM terminals WHERE terminal_id = $1 "
                         "FOR UPDATE",
                         {Text(terminal_id)});
  if (!head_row.ok()) return head_row.status();
  if (head_row->size() == 0) {
    return ErrorAnswer(401, "unknown_terminal", "no terminal " + terminal_id);
  }
  std::int64_t head = head_row->Int(0, 0);
  std::string head_mac = head_row->Bytes(0, 1);
  const std::int64_t old_head = head;

  // 2. The same batch again: the stored answer, byte for byte.
  {
    auto stored = c.Exec(
        "SELECT first_seq, last_seq, fingerprint, response FROM batches WHERE batch_id = $1",
        {Text(batch.batch_id)});
    if (!stored.ok()) return stored.status();
    if (stored->size() > 0) {
      if (stored->Int(0, 0) == batch.first_seq && stored->Int(0, 1) == batch.last_seq &&
          ledger::SameMac(stored->Bytes(0, 2), batch.fingerprint)) {
        Answer again{200, stored->Text(0, 3), {}};
        again.tally.replayed = true;
        return again;
      }
      return ErrorAnswer(422, "idempotency_mismatch",
                         "batch " + batch.batch_id + " was stored with other entries");
    }
  }

  // 3. A hole: the client rewinds.
  if (batch.first_seq > head + 1) {
    return ErrorAnswer(409, "seq_gap",
                       "batch starts at " + std::to_string(batch.first_seq) +
                           ", the server holds " + std::to_string(head),
                       {{"expected_seq", head + 1}});
  }

  // What the batch needs to know, read in a few statements rather than per
  // entry: the macs of entries held already, the accounts the new entries
  // move (locked in account order, so two batches never deadlock on them),
  // which of those have a card on the hotlist, and who holds the cards the
  // batch enrols.
  std::map<std::int64_t, std::string> held;
  if (batch.first_seq <= head) {
    auto rows = c.Exec(
        "SELECT seq, mac FROM entries WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3",
        {Text(terminal_id), Int(batch.first_seq), Int(std::min(batch.last_seq, head))});
    if (!rows.ok()) return rows.status();
    for (int i = 0; i < rows->size(); ++i) held[rows->Int(i, 0)] = rows->Bytes(i, 1);
  }
  // Every account the batch names, duplicates' too: the change log step
  // below updates their rows while holding its lock, so they must all be
  // ours already (or that step could wait on a push waiting for the lock).
  std::set<std::string> named;
  for (const ledger::EntryRecord& e : batch.entries) named.insert(e.account_id);
  std::map<std::string, std::int64_t> balance;  // the accounts that exist
  std::set<std::string> hot_accounts;
  if (!named.empty()) {
    const std::string ids = JsonList(named);
    auto rows = c.Exec(
        "SELECT account_id, points FROM accounts "
        "WHERE account_id IN (SELECT jsonb_array_elements_text($1::jsonb)) "
        "ORDER BY account_id FOR UPDATE",
        {Text(ids)});
    if (!rows.ok()) return rows.status();
    for (int i = 0; i < rows->size(); ++i) balance[rows->Text(i, 0)] = rows->Int(i, 1);
    auto hot = c.Exec(
        "SELECT DISTINCT c.account_id FROM cards c JOIN hotlist h ON h.card_hash = c.card_hash "
        "WHERE c.account_id IN (SELECT jsonb_array_elements_text($1::jsonb)) "
        "AND h.state IN ('blocked', 'lost')",
        {Text(ids)});
    if (!hot.ok()) return hot.status();
    for (int i = 0; i < hot->size(); ++i) hot_accounts.insert(hot->Text(i, 0));
  }
  std::map<std::string, std::string> card_owner;  // hex card hash -> account ("" none)
  std::set<std::string> hot_cards;                // hex, blocked or lost
  {
    std::set<std::string> enrolled;
    for (const AccountInfo& a : batch.accounts) {
      for (const CardInfo& card : a.cards) enrolled.insert(trust::ToHex(card.card_hash));
    }
    if (!enrolled.empty()) {
      auto rows = c.Exec(
          "SELECT encode(x.h, 'hex'), c.account_id, l.state FROM "
          "(SELECT decode(jsonb_array_elements_text($1::jsonb), 'hex') AS h) x "
          "LEFT JOIN cards c ON c.card_hash = x.h LEFT JOIN hotlist l ON l.card_hash = x.h",
          {Text(JsonList(enrolled))});
      if (!rows.ok()) return rows.status();
      for (int i = 0; i < rows->size(); ++i) {
        const std::string hex = rows->Text(i, 0);
        card_owner[hex] = rows->IsNull(i, 1) ? std::string() : rows->Text(i, 1);
        if (!rows->IsNull(i, 2) && (rows->Text(i, 2) == "blocked" || rows->Text(i, 2) == "lost")) {
          hot_cards.insert(hex);
        }
      }
    }
  }

  std::map<std::string, const AccountInfo*> infos;
  for (const AccountInfo& a : batch.accounts) infos[a.account_id] = &a;
  std::map<std::string, const GiftCardInfo*> gifts;
  for (const GiftCardInfo& g : batch.gift_cards) gifts[g.account_id] = &g;

  // 4. Each entry's fate, in seq order, as the SQLite store decides it.
  json new_accounts = json::array(), new_cards = json::array(), new_gifts = json::array();
  json rows = json::array();
  json results = json::array();
  PushTally tally;
  std::set<std::string> touched;
  std::set<std::pair<std::string, std::string>> values_touched;
  bool halted = false;
  std::string prev = batch.prev_mac;
  for (const ledger::EntryRecord& e : batch.entries) {
    const std::string implied_prev = prev;
    prev = e.mac;
    if (e.seq <= head) {
      // Seen before: the same content, or a fork.
      auto it = held.find(e.seq);
      if (it != held.end() && ledger::SameMac(it->second, e.mac)) {
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
    const bool exists = balance.count(e.account_id) > 0;
    if (!ledger::SameMac(chain.EntryMac(implied_prev, e), e.mac)) {
      status = "rejected";
      reason = "bad_mac";
    } else if (e.kind == EntryKind::kProgram) {
      // The program the till put in force: kept in the chain, moves nothing.
    } else if (e.kind == EntryKind::kEnroll) {
      auto info = infos.find(e.account_id);
      if (!exists) {
        new_accounts.push_back({{"account_id", e.account_id},
                                {"name", info != infos.end() ? info->second->name : ""}});
        balance[e.account_id] = 0;
      }
      if (info != infos.end()) {
        for (const CardInfo& card : info->second->cards) {
          const std::string hex = trust::ToHex(card.card_hash);
          std::string& owner = card_owner[hex];
          if (owner.empty()) {
            new_cards.push_back({{"card_hash", hex}, {"account_id", e.account_id},
                                 {"masked", card.masked},
                                 {"enrolled_at", card.enrolled_at != 0 ? card.enrolled_at : e.at}});
            owner = e.account_id;
            if (hot_cards.count(hex) > 0) hot_accounts.insert(e.account_id);
          } else if (owner != e.account_id) {
            status = "applied_flagged";
            reason = "card_enrolled_elsewhere";
          }
        }
      }
      touched.insert(e.account_id);
    } else {
      auto gift = gifts.find(e.account_id);
      if (!exists && gift != gifts.end()) {
        // A gift card's account starts with its first load, not an enroll.
        new_accounts.push_back(
            {{"account_id", e.account_id}, {"name", "gift card " + gift->second->masked}});
        new_gifts.push_back({{"card_hash", trust::ToHex(gift->second->card_hash)},
                             {"account_id", e.account_id},
                             {"masked", gift->second->masked}});
        balance[e.account_id] = 0;
      } else if (!exists) {
        status = "rejected";
        reason = "unknown_account";
      }
    }
    if (status != "rejected" && e.kind == EntryKind::kStoredValue && e.units && e.ref) {
      values_touched.insert({e.account_id, *e.ref});
    }
    if (status != "rejected" && e.kind != EntryKind::kEnroll && e.points != 0) {
      const std::int64_t after = (balance[e.account_id] += e.points);
      if (after < 0 && e.points < 0) {
        status = "applied_flagged";
        reason = "balance_negative";  // it happened at the till: never refused
      } else if (hot_accounts.count(e.account_id) > 0) {
        status = "applied_flagged";
        reason = "card_hotlisted";
      }
      touched.insert(e.account_id);
    }
    rows.push_back({{"seq", e.seq}, {"mac", trust::ToHex(e.mac)}, {"op_id", e.op_id},
                    {"kind", EntryKindName(e.kind)}, {"account_id", e.account_id},
                    {"points", e.points}, {"units", Optional(e.units)},
                    {"ref", e.ref ? json(*e.ref) : json(nullptr)}, {"status", status},
                    {"reason", reason}, {"at", e.at}});
    ++(status == "applied" ? tally.applied : status == "rejected" ? tally.rejected : tally.flagged);
    if (status != "applied") {
      results.push_back({{"seq", e.seq}, {"status", status}, {"reason", reason}});
    }
    head = e.seq;
    head_mac = e.mac;
  }

  // 5. The writes, one statement per table.
  if (!new_accounts.empty()) {
    if (Status s = c.Run("INSERT INTO accounts(account_id, name) SELECT x.account_id, x.name "
                         "FROM jsonb_to_recordset($1::jsonb) AS x(account_id text, name text) "
                         "ON CONFLICT DO NOTHING",
                         {Text(new_accounts.dump())});
        !s.ok()) {
      return s;
    }
  }
  if (!new_cards.empty()) {
    if (Status s = c.Run(
            "INSERT INTO cards(card_hash, account_id, masked, enrolled_at) "
            "SELECT decode(x.card_hash, 'hex'), x.account_id, x.masked, x.enrolled_at "
            "FROM jsonb_to_recordset($1::jsonb) "
            "AS x(card_hash text, account_id text, masked text, enrolled_at bigint) "
            "ON CONFLICT DO NOTHING",
            {Text(new_cards.dump())});
        !s.ok()) {
      return s;
    }
  }
  if (!new_gifts.empty()) {
    if (Status s = c.Run("INSERT INTO gift_cards(card_hash, account_id, masked) "
                         "SELECT decode(x.card_hash, 'hex'), x.account_id, x.masked "
                         "FROM jsonb_to_recordset($1::jsonb) "
                         "AS x(card_hash text, account_id text, masked text) "
                         "ON CONFLICT DO NOTHING",
                         {Text(new_gifts.dump())});
        !s.ok()) {
      return s;
    }
  }
  if (!rows.empty()) {
    if (Status s = c.Run(
            "INSERT INTO entries(terminal_id, seq, mac, op_id, kind, account_id, points, units, "
            "ref, status, reason, at, batch_id) "
            "SELECT $1, x.seq, decode(x.mac, 'hex'), x.op_id, x.kind, x.account_id, x.points, "
            "x.units, x.ref, x.status, x.reason, x.at, $2 FROM jsonb_to_recordset($3::jsonb) "
            "AS x(seq bigint, mac text, op_id text, kind text, account_id text, points bigint, "
            "units bigint, ref text, status text, reason text, at bigint)",
            {Text(terminal_id), Text(batch.batch_id), Text(rows.dump())});
        !s.ok()) {
      return s;
    }
    // The balances move by what the new entries count, summed in SQL from
    // the rows just stored (the same sum BalancesDisagreeing checks).
    if (Status s = c.Run(
            "UPDATE accounts a SET points = a.points + d.delta FROM "
            "(SELECT account_id, SUM(points) AS delta FROM entries WHERE terminal_id = $1 "
            "AND seq > $2 AND seq <= $3 AND status <> 'rejected' AND kind <> $4 "
            "GROUP BY account_id) d WHERE a.account_id = d.account_id",
            {Text(terminal_id), Int(old_head), Int(head), Text(kKindEnroll)});
        !s.ok()) {
      return s;
    }
    if (!values_touched.empty()) {
      if (Status s = c.Run(
              "INSERT INTO stored_value(account_id, ref, balance_minor) "
              "SELECT account_id, ref, SUM(units) FROM entries WHERE terminal_id = $1 "
              "AND seq > $2 AND seq <= $3 AND status <> 'rejected' AND kind = $4 "
              "AND units IS NOT NULL AND ref IS NOT NULL GROUP BY account_id, ref "
              "ORDER BY account_id, ref ON CONFLICT (account_id, ref) DO UPDATE SET "
              "balance_minor = stored_value.balance_minor + excluded.balance_minor",
              {Text(terminal_id), Int(old_head), Int(head), Text(kKindStoredValue)});
          !s.ok()) {
        return s;
      }
    }
    if (Status s = c.Run("UPDATE terminals SET head_seq = $2, head_mac = $3, last_push_at = $4 "
                         "WHERE terminal_id = $1",
                         {Text(terminal_id), Int(head), Bytes(head_mac), Int(now_ms)});
        !s.ok()) {
      return s;
    }
  }

  // Coupons issued and used (few per batch: one statement each).
  std::set<std::string> coupons_changed;
  for (const CouponInfo& cp : batch.coupons) {
    auto r = c.Exec(
        "INSERT INTO coupons(code, coupon_id, account_id, uses, expires_at, issued_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
        {Text(cp.code), Text(cp.coupon_id), Text(cp.account_id), pg::OptInt(cp.uses),
         pg::OptInt(cp.expires_at), Text(terminal_id)});
    if (!r.ok()) return r.status();
    if (r->affected() > 0) coupons_changed.insert(cp.code);
  }
  for (const CouponUseInfo& u : batch.coupon_uses) {
    auto r = c.Exec(
        "INSERT INTO coupon_uses(code, terminal_id, op_id, account_id, reversed) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code, terminal_id, op_id) DO UPDATE SET "
        "reversed = excluded.reversed WHERE coupon_uses.reversed <> excluded.reversed",
        {Text(u.code), Text(terminal_id), Text(u.op_id), Text(u.account_id), pg::Bool(u.reversed)});
    if (!r.ok()) return r.status();
    if (r->affected() == 0) continue;
    // Campaign codes live in the program: only issued codes go back to tills.
    auto known = c.Exec("SELECT 1 FROM coupons WHERE code = $1", {Text(u.code)});
    if (!known.ok()) return known.status();
    if (known->size() > 0) coupons_changed.insert(u.code);
  }

  // 6. The change log, last: its lock is held only from here to commit.
  json balances = json::array();
  json things = json::array();
  for (const std::string& id : touched) things.push_back({{"kind", "balance"}, {"key", id}});
  for (const auto& [account_id, ref] : values_touched) {
    things.push_back({{"kind", "stored_value"}, {"key", ValueKey(account_id, ref)}});
  }
  for (const std::string& code : coupons_changed) {
    things.push_back({{"kind", "coupon"}, {"key", code}});
  }
  if (!things.empty()) {
    if (Status s = c.Run("SELECT pg_advisory_xact_lock($1)", {Int(kChangeLogLock)}); !s.ok()) {
      return s;
    }
    auto versions = c.Exec(
        "INSERT INTO changes(kind, key, version) "
        "SELECT x.kind, x.key, nextval('change_version') "
        "FROM jsonb_to_recordset($1::jsonb) AS x(kind text, key text) "
        "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version "
        "RETURNING kind, key, version",
        {Text(things.dump())});
    if (!versions.ok()) return versions.status();
    json account_versions = json::array(), value_versions = json::array();
    for (int i = 0; i < versions->size(); ++i) {
      const std::string kind = versions->Text(i, 0), key = versions->Text(i, 1);
      const std::int64_t version = versions->Int(i, 2);
      if (kind == "balance") {
        account_versions.push_back({{"account_id", key}, {"version", version}});
      } else if (kind == "stored_value") {
        const auto bar = key.rfind('|');
        value_versions.push_back({{"account_id", key.substr(0, bar)},
                                  {"ref", key.substr(bar + 1)}, {"version", version}});
      }
    }
    if (!account_versions.empty()) {
      auto moved = c.Exec(
          "UPDATE accounts a SET version = x.version "
          "FROM jsonb_to_recordset($1::jsonb) AS x(account_id text, version bigint) "
          "WHERE a.account_id = x.account_id RETURNING a.account_id, a.points, a.version",
          {Text(account_versions.dump())});
      if (!moved.ok()) return moved.status();
      std::map<std::string, json> by_account;
      for (int i = 0; i < moved->size(); ++i) {
        by_account[moved->Text(i, 0)] = {{"account_id", moved->Text(i, 0)},
                                         {"points", moved->Int(i, 1)},
                                         {"version", moved->Int(i, 2)},
                                         {"includes_through_seq", head}};
      }
      for (auto& [id, b] : by_account) balances.push_back(std::move(b));
    }
    if (!value_versions.empty()) {
      if (Status s = c.Run(
              "UPDATE stored_value s SET version = x.version "
              "FROM jsonb_to_recordset($1::jsonb) AS x(account_id text, ref text, version bigint) "
              "WHERE s.account_id = x.account_id AND s.ref = x.ref",
              {Text(value_versions.dump())});
          !s.ok()) {
        return s;
      }
    }
  }

  json answer = {{"protocol", 1},          {"batch_id", batch.batch_id},
                 {"acked_through_seq", head}, {"halted", halted},
                 {"results", results},       {"balances", balances},
                 {"server_time", now_ms}};
  if (head > 0) {
    sync::ServerReceipt receipt{terminal_id, head, head_mac, now_ms, ""};
    receipt.signature = signer.Sign(sync::ReceiptMessage(receipt));
    answer["receipt"] = {{"terminal_id", terminal_id}, {"seq", head},
                         {"mac", trust::ToHex(head_mac)}, {"server_time", now_ms},
                         {"signature", trust::ToBase64(receipt.signature)}};
  }
  const std::string body = answer.dump();
  if (Status s = c.Run("INSERT INTO batches(batch_id, terminal_id, first_seq, last_seq, "
                       "fingerprint, response, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                       {Text(batch.batch_id), Text(terminal_id), Int(batch.first_seq),
                        Int(batch.last_seq), Bytes(batch.fingerprint), Text(body), Int(now_ms)});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return Answer{200, body, tally};
}

Result<json> PostgresStore::Changes(const std::string& terminal_id, std::int64_t cursor,
                                    int limit, std::int64_t now_ms) {
  return Retrying<json>([&](pg::Connection& c) {
    return ChangesOnce(c, terminal_id, cursor, limit, now_ms);
  });
}

Result<json> PostgresStore::ChangesOnce(pg::Connection& c, const std::string& terminal_id,
                                        std::int64_t cursor, int limit, std::int64_t now_ms) {
  // One snapshot: the page is one consistent state.
  pg::Transaction tx(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx.begun().ok()) return tx.begun();
  auto head = c.Exec("SELECT head_seq FROM terminals WHERE terminal_id = $1", {Text(terminal_id)});
  if (!head.ok()) return head.status();
  const std::int64_t includes = head->size() > 0 ? head->Int(0, 0) : 0;

  // Each thing once, at its newest version, oldest first: an index range
  // scan from the cursor (changes_by_version).
  auto page = c.Exec(
      "SELECT kind, key, version FROM changes WHERE version > $1 ORDER BY version LIMIT $2",
      {Int(cursor), Int(limit)});
  if (!page.ok()) return page.status();

  // The balances of the page in one statement, their cards with them.
  std::set<std::string> account_ids;
  for (int i = 0; i < page->size(); ++i) {
    if (page->Text(i, 0) == "balance") account_ids.insert(page->Text(i, 1));
  }
  std::map<std::string, json> accounts;
  if (!account_ids.empty()) {
    auto rows = c.Exec(
        "SELECT a.account_id, a.name, a.points, a.version, COALESCE((SELECT json_agg("
        "json_build_object('card_hash', encode(c.card_hash, 'hex'), 'masked', c.masked, "
        "'enrolled_at', c.enrolled_at) ORDER BY c.enrolled_at, c.card_hash) "
        "FROM cards c WHERE c.account_id = a.account_id), '[]')::text "
        "FROM accounts a WHERE a.account_id IN (SELECT jsonb_array_elements_text($1::jsonb))",
        {Text(JsonList(account_ids))});
    if (!rows.ok()) return rows.status();
    for (int i = 0; i < rows->size(); ++i) {
      accounts[rows->Text(i, 0)] = {{"kind", "balance"},
                                    {"account_id", rows->Text(i, 0)},
                                    {"name", rows->Text(i, 1)},
                                    {"points", rows->Int(i, 2)},
                                    {"version", rows->Int(i, 3)},
                                    {"includes_through_seq", includes},
                                    {"cards", json::parse(rows->Text(i, 4))}};
    }
  }

  json changes = json::array();
  std::int64_t next = cursor;
  for (int i = 0; i < page->size(); ++i) {
    const std::string kind = page->Text(i, 0), key = page->Text(i, 1);
    const std::int64_t version = page->Int(i, 2);
    next = version;
    if (kind == "balance") {
      auto it = accounts.find(key);
      if (it != accounts.end()) changes.push_back(it->second);
    } else if (kind == "hotlist") {
      auto hash = trust::FromHex(key);
      if (!hash) continue;
      auto row = c.Exec("SELECT state FROM hotlist WHERE card_hash = $1", {Bytes(*hash)});
      if (!row.ok()) return row.status();
      if (row->size() > 0) {
        changes.push_back({{"kind", "hotlist"}, {"card_hash", key}, {"state", row->Text(0, 0)},
                           {"version", version}});
      }
    } else if (kind == "program") {
      auto row = c.Exec("SELECT version, document, signature FROM programs WHERE version = $1",
                        {Text(key)});
      if (!row.ok()) return row.status();
      if (row->size() > 0) {
        changes.push_back({{"kind", "program"}, {"version", row->Int(0, 0)},
                           {"document", row->Text(0, 1)},
                           {"signature", trust::ToBase64(row->Bytes(0, 2))}});
      }
    } else if (kind == "stored_value") {
      const auto bar = key.rfind('|');
      if (bar == std::string::npos) continue;
      const std::string account_id = key.substr(0, bar), ref = key.substr(bar + 1);
      auto row = c.Exec(
          "SELECT s.balance_minor, s.version, encode(g.card_hash, 'hex'), g.masked "
          "FROM stored_value s LEFT JOIN LATERAL (SELECT card_hash, masked FROM gift_cards "
          "WHERE account_id = s.account_id ORDER BY card_hash LIMIT 1) g ON true "
          "WHERE s.account_id = $1 AND s.ref = $2",
          {Text(account_id), Text(ref)});
      if (!row.ok()) return row.status();
      if (row->size() == 0) continue;
      json ch = {{"kind", "stored_value"}, {"account_id", account_id}, {"ref", ref},
                 {"balance_minor", row->Int(0, 0)}, {"version", row->Int(0, 1)},
                 {"includes_through_seq", includes}};
      if (ref == "gift" && !row->IsNull(0, 2)) {
        ch["gift_card"] = {{"card_hash", row->Text(0, 2)}, {"masked", row->Text(0, 3)}};
      }
      changes.push_back(ch);
    } else if (kind == "coupon") {
      auto row = c.Exec(
          "SELECT coupon_id, account_id, uses - (SELECT count(*) FROM coupon_uses u "
          "WHERE u.code = c.code AND NOT u.reversed), expires_at FROM coupons c WHERE code = $1",
          {Text(key)});
      if (!row.ok()) return row.status();
      if (row->size() > 0) {
        json ch = {{"kind", "coupon"}, {"code", key}, {"coupon_id", row->Text(0, 0)},
                   {"account_id", row->Text(0, 1)}, {"version", version}};
        ch["uses_left"] = row->IsNull(0, 2) ? json(nullptr)
                                            : json(std::max<std::int64_t>(0, row->Int(0, 2)));
        ch["expires_at"] = row->IsNull(0, 3) ? json(nullptr) : json(row->Int(0, 3));
        changes.push_back(ch);
      }
    } else if (kind == "policy") {
      auto row = c.Exec("SELECT offline_after_ms, redeem_cap FROM policy WHERE id = 1");
      if (!row.ok()) return row.status();
      if (row->size() > 0) {
        json ch = {{"kind", "policy"}, {"version", version}};
        if (!row->IsNull(0, 0)) ch["offline_after_ms"] = row->Int(0, 0);
        if (!row->IsNull(0, 1)) ch["offline_redeem_cap_per_card_per_day"] = row->Int(0, 1);
        changes.push_back(ch);
      }
    }
  }
  auto more = c.Exec("SELECT EXISTS (SELECT 1 FROM changes WHERE version > $1)", {Int(next)});
  if (!more.ok()) return more.status();
  const bool has_more = more->Text(0, 0) == "t";
  if (Status s = tx.Commit(); !s.ok()) return s;
  return json{{"protocol", 1},
              {"changes", changes},
              {"next_cursor", std::to_string(next)},
              {"has_more", has_more},
              {"server_time", now_ms}};
}

Status PostgresStore::AddProgram(std::int64_t version, const std::string& document,
                                 const std::string& signature) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  pg::Transaction tx(**c);
  if (!tx.begun().ok()) return tx.begun();
  if (Status s = (*c)->Run("INSERT INTO programs(version, document, signature) VALUES ($1, $2, $3)",
                           {Int(version), Text(document), Bytes(signature)});
      !s.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "program version " + std::to_string(version) + ": " + s.message());
  }
  if (Status s = NoteChange(**c, "program", std::to_string(version)); !s.ok()) return s;
  return tx.Commit();
}

Status PostgresStore::SetHotlist(const std::string& card_hash, const std::string& state) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  pg::Transaction tx(**c);
  if (!tx.begun().ok()) return tx.begun();
  if (Status s = (*c)->Run("INSERT INTO hotlist(card_hash, state) VALUES ($1, $2) "
                           "ON CONFLICT (card_hash) DO UPDATE SET state = excluded.state",
                           {Bytes(card_hash), Text(state)});
      !s.ok()) {
    return s;
  }
  if (Status s = NoteChange(**c, "hotlist", trust::ToHex(card_hash)); !s.ok()) return s;
  return tx.Commit();
}

Status PostgresStore::SetPolicy(std::optional<std::int64_t> offline_after_ms,
                                std::optional<std::int64_t> redeem_cap) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  pg::Transaction tx(**c);
  if (!tx.begun().ok()) return tx.begun();
  if (Status s = (*c)->Run(
          "INSERT INTO policy(id, offline_after_ms, redeem_cap) VALUES (1, $1, $2) "
          "ON CONFLICT (id) DO UPDATE SET "
          "offline_after_ms = COALESCE(excluded.offline_after_ms, policy.offline_after_ms), "
          "redeem_cap = COALESCE(excluded.redeem_cap, policy.redeem_cap)",
          {pg::OptInt(offline_after_ms), pg::OptInt(redeem_cap)});
      !s.ok()) {
    return s;
  }
  if (Status s = NoteChange(**c, "policy", ""); !s.ok()) return s;
  return tx.Commit();
}

Result<std::optional<AccountBalance>> PostgresStore::Balance(const std::string& account_id) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  auto row = (*c)->Exec("SELECT name, points, version FROM accounts WHERE account_id = $1",
                        {Text(account_id)});
  if (!row.ok()) return row.status();
  if (row->size() == 0) return std::optional<AccountBalance>();
  return std::optional<AccountBalance>(
      AccountBalance{account_id, row->Text(0, 0), row->Int(0, 1), row->Int(0, 2)});
}

Result<std::int64_t> PostgresStore::StoredEntries(const std::string& terminal_id) {
  return Scalar("SELECT count(*) FROM entries WHERE terminal_id = $1", {Text(terminal_id)});
}

Result<std::int64_t> PostgresStore::SumOfBalances() {
  return Scalar("SELECT COALESCE(SUM(points), 0) FROM accounts");
}

Result<std::int64_t> PostgresStore::StoredValue(const std::string& account_id,
                                                const std::string& ref) {
  return Scalar("SELECT balance_minor FROM stored_value WHERE account_id = $1 AND ref = $2",
                {Text(account_id), Text(ref)});
}

Result<std::int64_t> PostgresStore::BalancesDisagreeing() {
  return Scalar(
      "SELECT count(*) FROM accounts a LEFT JOIN (SELECT account_id, SUM(points) AS total "
      "FROM entries WHERE status <> 'rejected' AND kind <> 'enroll' GROUP BY account_id) e "
      "ON e.account_id = a.account_id WHERE a.points <> COALESCE(e.total, 0)");
}

Result<std::int64_t> PostgresStore::TotalEntries() {
  return Scalar("SELECT count(*) FROM entries");
}

Result<std::vector<TerminalState>> PostgresStore::Terminals() {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Exec(
      "SELECT t.terminal_id, t.head_seq, e.at, t.last_push_at FROM terminals t "
      "LEFT JOIN entries e ON e.terminal_id = t.terminal_id AND e.seq = t.head_seq "
      "ORDER BY t.terminal_id");
  if (!rows.ok()) return rows.status();
  std::vector<TerminalState> out;
  for (int i = 0; i < rows->size(); ++i) {
    TerminalState t;
    t.terminal_id = rows->Text(i, 0);
    t.head_seq = rows->Int(i, 1);
    if (!rows->IsNull(i, 2)) t.head_at = rows->Int(i, 2);
    if (!rows->IsNull(i, 3)) t.last_push_at = rows->Int(i, 3);
    out.push_back(std::move(t));
  }
  return out;
}

Status PostgresStore::Ping() {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  return (*c)->Run("SELECT 1");
}

}  // namespace loyalty::server
