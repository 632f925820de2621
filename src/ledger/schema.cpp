#include "ledger/schema.hpp"

#include <array>
#include <string>

namespace loyalty::ledger {
namespace {

// Append only: a released migration is never edited.
constexpr std::array<const char*, 13> kMigrations{
    // 1: the ledger.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  balance    INTEGER NOT NULL DEFAULT 0,  -- cache: SUM(entries.points)
  debt       INTEGER NOT NULL DEFAULT 0   -- cache: points owed after reversals
) STRICT;
CREATE TABLE cards (
  card_hash   BLOB PRIMARY KEY,           -- HMAC of the number; never the number
  account_id  TEXT NOT NULL REFERENCES accounts(account_id),
  masked      TEXT NOT NULL,
  blocked     INTEGER NOT NULL DEFAULT 0,
  enrolled_at INTEGER NOT NULL
) STRICT;
CREATE TABLE entries (
  seq           INTEGER PRIMARY KEY,
  op_id         TEXT NOT NULL,
  kind          TEXT NOT NULL,
  account_id    TEXT NOT NULL,
  points        INTEGER NOT NULL,
  amount_minor  INTEGER NOT NULL,
  currency      TEXT NOT NULL,
  reverses_seq  INTEGER,
  pending_until INTEGER,
  expires_at    INTEGER,
  at            INTEGER NOT NULL,
  note          TEXT NOT NULL,
  mac           BLOB NOT NULL
) STRICT;
CREATE TABLE lots (
  lot_id        INTEGER PRIMARY KEY,      -- the seq of the entry that credited it
  account_id    TEXT NOT NULL,
  points        INTEGER NOT NULL,
  remaining     INTEGER NOT NULL,
  earned_at     INTEGER NOT NULL,
  pending_until INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL          -- INT64 max: never
) STRICT;
CREATE TABLE lot_moves (
  entry_seq INTEGER NOT NULL,
  lot_id    INTEGER NOT NULL,
  points    INTEGER NOT NULL,
  PRIMARY KEY (entry_seq, lot_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE operations (
  op_id   TEXT PRIMARY KEY,
  kind    TEXT NOT NULL,
  digest  BLOB NOT NULL,                  -- SHA-256 of the request's content
  receipt TEXT NOT NULL                   -- the first result, as JSON
) STRICT;
)sql",
    // 2: indexes for the till's hot reads (history, open lots, reversals).
    R"sql(
CREATE INDEX entries_by_account ON entries(account_id, seq);
CREATE INDEX entries_by_reversed ON entries(reverses_seq) WHERE reverses_seq IS NOT NULL;
CREATE INDEX open_lots ON lots(account_id, expires_at, lot_id) WHERE remaining > 0;
)sql",
    // 3: what each sale line earned (for line-by-line returns) and the
    // rewards taken (per-customer limits, stock, vouchers).
    R"sql(
CREATE TABLE sale_lines (
  op_id          TEXT NOT NULL,
  line_no        INTEGER NOT NULL,
  sku            TEXT NOT NULL,
  category       TEXT NOT NULL,
  quantity       INTEGER NOT NULL,
  amount_minor   INTEGER NOT NULL,
  discount_minor INTEGER NOT NULL,
  points         INTEGER NOT NULL,
  returned_qty   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (op_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE TABLE reward_uses (
  op_id      TEXT NOT NULL,
  reward_id  TEXT NOT NULL,
  account_id TEXT NOT NULL,
  points     INTEGER NOT NULL,
  code       TEXT NOT NULL,             -- voucher code issued, '' for discounts
  at         INTEGER NOT NULL,
  reversed   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (op_id, reward_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reward_uses_by_account ON reward_uses(account_id, reward_id);
)sql",
    // 4: stamp cards. Entries gain units (stamps) and a reference (the
    // stamp card); sale lines remember the stamps each line collected.
    R"sql(
ALTER TABLE entries ADD COLUMN units INTEGER;
ALTER TABLE entries ADD COLUMN ref TEXT;
ALTER TABLE sale_lines ADD COLUMN stamps INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stamps_by_account ON entries(account_id, ref) WHERE kind = 'stamp';
)sql",
    // 5: the till report. Who rang each operation up (kept beside the
    // hash-chained entries, keyed by the POS's op_id), sales made without a
    // card, and entries by time for the report's window.
    R"sql(
CREATE TABLE op_cashiers (
  op_id      TEXT PRIMARY KEY,
  cashier_id TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE anonymous_sales (
  op_id        TEXT PRIMARY KEY,
  amount_minor INTEGER NOT NULL,
  currency     TEXT NOT NULL,
  at           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX anonymous_sales_by_at ON anonymous_sales(at);
CREATE INDEX entries_by_at ON entries(at);
)sql",
    // 6: birthdays and referrals, for the program's bonuses.
    R"sql(
ALTER TABLE accounts ADD COLUMN birthday TEXT NOT NULL DEFAULT '';  -- "MM-DD" or ''
ALTER TABLE accounts ADD COLUMN referred_by TEXT NOT NULL DEFAULT '';  -- an account id
CREATE INDEX entries_by_ref ON entries(account_id, ref) WHERE ref IS NOT NULL;
)sql",
    // 7: reservations: points and rewards held while payment may fail.
    R"sql(
CREATE TABLE holds (
  op_id      TEXT PRIMARY KEY,            -- the reservation (and the sale's) op id
  account_id TEXT NOT NULL,
  points     INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  state      TEXT NOT NULL,               -- open, confirmed, released
  payload    TEXT NOT NULL                -- the basket and its quote, as JSON
) STRICT, WITHOUT ROWID;
CREATE INDEX open_holds ON holds(account_id, expires_at) WHERE state = 'open';
)sql",
    // 8: coupon codes issued here, and every coupon presented.
    R"sql(
CREATE TABLE coupons (
  code       TEXT PRIMARY KEY,
  coupon_id  TEXT NOT NULL,
  account_id TEXT NOT NULL,               -- '' : anyone may present it
  uses_left  INTEGER,                     -- NULL: unlimited
  expires_at INTEGER,                     -- NULL: never
  issued_op  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE coupon_uses (
  op_id      TEXT NOT NULL,
  code       TEXT NOT NULL,
  coupon_id  TEXT NOT NULL,
  account_id TEXT NOT NULL,
  reversed   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (op_id, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX coupon_uses_by_account ON coupon_uses(account_id, coupon_id);
)sql",
    // 9: gift cards. Each is an account of its own holding money; its
    // number is stored only as a keyed hash, like every card number.
    R"sql(
CREATE TABLE gift_cards (
  card_hash  BLOB PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  masked     TEXT NOT NULL
) STRICT;
CREATE INDEX stored_value_by_account ON entries(account_id, ref) WHERE kind = 'stored_value';
)sql",
    // 10: the open lots' sums a balance needs, answered from the index
    // alone (no table row per lot). It replaces open_lots, whose columns
    // it starts with.
    R"sql(
DROP INDEX open_lots;
CREATE INDEX open_lots ON lots(account_id, expires_at, pending_until, remaining)
  WHERE remaining > 0;
)sql",
    // 11: a balance without summing lots. The account keeps its open lots'
    // usable and pending points and the window [lots_from, lots_until) in
    // which those sums hold: no open lot matures or expires inside it
    // (Book::SumsAt). Outside the window a balance sums the lots. Existing
    // accounts get the window around the ledger's latest entry.
    R"sql(
ALTER TABLE accounts ADD COLUMN lots_usable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN lots_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN lots_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN lots_until INTEGER NOT NULL DEFAULT 0;
WITH latest(t) AS (SELECT COALESCE(MAX(at), 0) FROM entries)
UPDATE accounts SET (lots_usable, lots_pending, lots_from, lots_until) = (
  SELECT
    COALESCE(SUM(CASE WHEN l.pending_until <= t AND t < l.expires_at
                      THEN l.remaining ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN l.pending_until > t AND t < l.expires_at
                      THEN l.remaining ELSE 0 END), 0),
    COALESCE(MAX(MAX(IIF(l.pending_until <= t, l.pending_until, -9223372036854775807 - 1),
                     IIF(l.expires_at <= t, l.expires_at, -9223372036854775807 - 1))),
             -9223372036854775807 - 1),
    COALESCE(MIN(MIN(IIF(l.pending_until > t, l.pending_until, 9223372036854775807),
                     IIF(l.expires_at > t, l.expires_at, 9223372036854775807))),
             9223372036854775807)
  FROM lots l, latest WHERE l.account_id = accounts.account_id AND l.remaining > 0);
)sql",
    // 12: what each reward bound to lines (a free product, a discount on
    // products, the cheapest item) took off each line of its sale: the
    // points it cost come back only with those lines. Sales written before
    // have no rows here; their rewards come back in proportion, as then.
    R"sql(
CREATE TABLE reward_lines (
  op_id          TEXT NOT NULL,
  item           INTEGER NOT NULL,        -- 0, 1, ... within the sale
  reward_id      TEXT NOT NULL,
  line_no        INTEGER NOT NULL,
  discount_minor INTEGER NOT NULL,
  PRIMARY KEY (op_id, item)
) STRICT, WITHOUT ROWID;
)sql",
    // 13: row seals (ledger/seals.hpp): a keyed MAC of every row the hash
    // chain does not cover, by table and primary key. The transaction that
    // creates it seals every existing row. Rows written before a column was
    // added (ALTER TABLE ADD COLUMN) lack it on disk, and SQLite's
    // pre-update hook then reads NULL where a SELECT reads the default: the
    // seal would not match the row's first update. Rewrite them first. A
    // later migration that adds a column to a sealed table must do the same.
    R"sql(
UPDATE sale_lines SET stamps = stamps;
UPDATE accounts SET birthday = birthday, referred_by = referred_by;
CREATE TABLE seals (
  tbl TEXT NOT NULL,
  k1  ANY NOT NULL,                       -- the row's primary key
  k2  ANY NOT NULL,                       -- its second column, or 0
  mac BLOB NOT NULL,
  PRIMARY KEY (tbl, k1, k2)
) STRICT, WITHOUT ROWID;
)sql",
};

}  // namespace

std::int64_t LatestSchemaVersion() {
  return static_cast<std::int64_t>(kMigrations.size());
}

Status Migrate(Database& db, std::int64_t target) {
  if (target == 0) target = LatestSchemaVersion();
  std::int64_t version = db.UserVersion();
  if (version < 0) return {StatusCode::kDatabaseCorrupt, "cannot read schema version"};
  if (version > LatestSchemaVersion()) {
    return {StatusCode::kDatabaseCorrupt,
            "ledger schema version " + std::to_string(version) +
                " is newer than this library understands (" +
                std::to_string(LatestSchemaVersion()) + ")"};
  }
  if (version == 0) {
    // A fresh file has no tables; anything else is not ours to write into.
    auto count = db.Prepare("SELECT count(*) FROM sqlite_schema");
    if (!count.ok()) return count.status();
    auto row = count->Step();
    if (!row.ok()) return row.status();
    if (count->Int(0) != 0) {
      return {StatusCode::kDatabaseCorrupt,
              "file has tables but no ledger schema version: not a loyalty ledger"};
    }
  }
  for (; version < target; ++version) {
    Transaction tx(db);
    if (!tx.begun().ok()) return tx.begun();
    if (Status s = db.Exec(kMigrations[static_cast<size_t>(version)]); !s.ok()) {
      return {s.code(), "migration to schema " + std::to_string(version + 1) +
                            " failed: " + s.message()};
    }
    if (Status s = db.Exec("PRAGMA user_version=" + std::to_string(version + 1));
        !s.ok()) {
      return s;
    }
    if (Status s = tx.Commit(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace loyalty::ledger
