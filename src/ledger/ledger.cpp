#include "ledger/ledger.hpp"

#include "ledger/schema.hpp"
#include "ledger/statements.hpp"

#include <sqlite3.h>

#include <cstdio>

namespace loyalty::ledger {

constexpr const char* kEntryColumns =
    "seq, op_id, kind, account_id, points, amount_minor, currency, reverses_seq, "
    "pending_until, expires_at, at, note, mac, units, ref";


Ledger::Ledger(std::unique_ptr<Database> db, std::unique_ptr<Seals> seals, Chain chain)
    : db_(std::move(db)), seals_(std::move(seals)), chain_(std::move(chain)) {}

Ledger::~Ledger() = default;

Result<std::unique_ptr<Ledger>> Ledger::Open(const LedgerOptions& options) {
  auto chain = Chain::Create(options.terminal_key);
  if (!chain.ok()) return chain.status();
  auto db = Database::Open(options.database);
  if (!db.ok()) return db.status();
  // A first open that fails (a full disk, a bad key) leaves no file behind.
  struct RemoveUnlessKept {
    std::string path;
    bool keep = false;
    ~RemoveUnlessKept() {
      if (keep || path.empty()) return;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        (void)std::remove((path + suffix).c_str());
      }
    }
  } cleanup{(*db)->created() ? options.database.path : std::string()};
  // Watching before the migrations: the one that adds the seals table
  // seals every row in its own transaction.
  auto seals = std::make_unique<Seals>(**db, options.terminal_key);
  if ((*db)->read_only()) {
    // Nothing may be written: the file must be a ledger of this schema.
    const std::int64_t version = (*db)->UserVersion();
    if (version != LatestSchemaVersion()) {
      return Status(StatusCode::kInvalidArgument,
                    "database_path '" + options.database.path + "': read_only needs a ledger " +
                        "at schema " + std::to_string(LatestSchemaVersion()) + ", it is at " +
                        std::to_string(version) +
                        (version > 0 ? " (open it read-write once to migrate it)" : ""));
    }
  } else if (Status s = Migrate(**db); !s.ok()) {
    return s;
  }
  std::unique_ptr<Ledger> ledger(
      new Ledger(std::move(*db), std::move(seals), std::move(*chain)));
  if (Status s = ledger->Prepare(); !s.ok()) return s;
  if (Status s = ledger->PrepareActivity(); !s.ok()) return s;
  if (Status s = ledger->PrepareReturns(); !s.ok()) return s;
  if (Status s = ledger->CheckKey(); !s.ok()) return s;
  cleanup.keep = true;
  return ledger;
}

Status Ledger::Prepare() {
  st_ = std::make_unique<Statements>();
  struct Item {
    Statement* stmt;
    const char* sql;
  };
  const std::string entry_select = std::string("SELECT ") + kEntryColumns + " FROM entries";
  const std::string entries_of_op = entry_select + " WHERE op_id = ?1 ORDER BY seq";
  const std::string reversals_of = entry_select + " WHERE reverses_seq = ?1 ORDER BY seq";
  const Item items[] = {
      {&st_->find_op, "SELECT kind, digest, receipt FROM operations WHERE op_id = ?1"},
      {&st_->save_op,
       "INSERT INTO operations(op_id, kind, digest, receipt) VALUES (?1, ?2, ?3, ?4)"},
      {&st_->find_card,
       "SELECT account_id, masked, blocked FROM cards WHERE card_hash = ?1"},
      {&st_->find_account,
       "SELECT account_id, name, created_at, balance, debt, birthday, referred_by "
       "FROM accounts WHERE account_id = ?1"},
      {&st_->insert_account,
       "INSERT INTO accounts(account_id, name, created_at, balance, debt, birthday, "
       "referred_by, lots_usable, lots_pending, lots_from, lots_until) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, -9223372036854775807 - 1, "
       "9223372036854775807)"},
      {&st_->insert_card,
       "INSERT INTO cards(card_hash, account_id, masked, blocked, enrolled_at) "
       "VALUES (?1, ?2, ?3, 0, ?4)"},
      {&st_->set_blocked, "UPDATE cards SET blocked = ?2 WHERE card_hash = ?1"},
      {&st_->masked_card,
       "SELECT masked FROM cards WHERE account_id = ?1 ORDER BY enrolled_at LIMIT 1"},
      {&st_->open_lots,
       "SELECT lot_id, points, remaining, earned_at, pending_until, expires_at "
       "FROM lots WHERE account_id = ?1 AND remaining > 0"},
      {&st_->lot_by_id,
       "SELECT lot_id, points, remaining, earned_at, pending_until, expires_at "
       "FROM lots WHERE lot_id = ?1 AND account_id = ?2"},
      {&st_->insert_lot,
       "INSERT INTO lots(lot_id, account_id, points, remaining, earned_at, "
       "pending_until, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&st_->update_lot, "UPDATE lots SET remaining = ?2 WHERE lot_id = ?1"},
      {&st_->update_account,
       "UPDATE accounts SET balance = ?2, debt = ?3, lots_usable = ?4, lots_pending = ?5, "
       "lots_from = ?6, lots_until = ?7 WHERE account_id = ?1"},
      {&st_->insert_move,
       "INSERT INTO lot_moves(entry_seq, lot_id, points) VALUES (?1, ?2, ?3)"},
      {&st_->moves_of, "SELECT lot_id, points FROM lot_moves WHERE entry_seq = ?1"},
      {&st_->given_back,
       "SELECT m.lot_id, SUM(m.points) FROM lot_moves m JOIN entries e "
       "ON e.seq = m.entry_seq WHERE e.reverses_seq = ?1 GROUP BY m.lot_id"},
      {&st_->expired_accounts,
       "SELECT DISTINCT account_id FROM lots WHERE remaining > 0 AND expires_at <= ?1 "
       "ORDER BY account_id"},
      {&st_->inactive_accounts,
       "SELECT DISTINCT l.account_id FROM lots l WHERE l.remaining > 0 AND NOT EXISTS "
       "(SELECT 1 FROM entries e WHERE e.account_id = l.account_id "
       " AND e.kind IN ('earn', 'redeem') AND +e.at >= ?1) ORDER BY l.account_id"},
      {&st_->read_head, "SELECT value FROM meta WHERE key = 'head'"},
      {&st_->write_head,
       "INSERT INTO meta(key, value) VALUES ('head', ?1) "
       "ON CONFLICT(key) DO UPDATE SET value = excluded.value"},
      {&st_->insert_entry,
       "INSERT INTO entries(seq, op_id, kind, account_id, points, amount_minor, "
       "currency, reverses_seq, pending_until, expires_at, at, note, mac, units, ref) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"},
      {&st_->entries_of_op, entries_of_op.c_str()},
      {&st_->reversals_of, reversals_of.c_str()},
      {&st_->history,
       "SELECT seq, at, op_id, kind, points, amount_minor, currency, reverses_seq, "
       "note, COALESCE(units, 0), COALESCE(ref, '') FROM entries WHERE account_id = ?1 "
       "ORDER BY seq DESC LIMIT ?2"},
      {&st_->entry_count, "SELECT count(*) FROM entries"},
  };
  for (const Item& item : items) {
    auto stmt = db_->Prepare(item.sql);
    if (!stmt.ok()) return stmt.status();
    *item.stmt = std::move(*stmt);
  }
  return Status::Ok();
}

Status Ledger::CheckKey() {
  auto stmt = db_->Prepare("SELECT value FROM meta WHERE key = 'key_check'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    if (!SameMac(stmt->Blob(0), chain_.KeyCheck())) {
      return {StatusCode::kInvalidArgument,
              "terminal_key: is not the key this ledger was written with"};
    }
    return Status::Ok();
  }
  // Only a new ledger gets its key check. One whose check was removed
  // opens without it, and Verify() names what is missing: putting one back
  // here would bless whatever key opened it.
  auto used = db_->Prepare(
      "SELECT EXISTS (SELECT 1 FROM entries) OR EXISTS (SELECT 1 FROM accounts) OR "
      "EXISTS (SELECT 1 FROM meta WHERE key = 'head')");
  if (!used.ok()) return used.status();
  auto used_row = used->Step();
  if (!used_row.ok()) return used_row.status();
  if (*used_row && used->Int(0) != 0) return Status::Ok();
  if (db_->read_only()) return Status::Ok();
  auto insert = db_->Prepare("INSERT INTO meta(key, value) VALUES ('key_check', ?1)");
  if (!insert.ok()) return insert.status();
  insert->BindBlob(1, chain_.KeyCheck());
  return insert->Run();
}

Result<std::optional<StoredOperation>> Ledger::FindOperation(const std::string& op_id) {
  Statement& s = st_->find_op;
  s.Bind(1, op_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<StoredOperation> found;
  if (*row) found = StoredOperation{s.Text(0), s.Blob(1), s.Text(2)};
  s.Reset();
  return found;
}

Status Ledger::SaveOperation(const std::string& op_id, const std::string& kind,
                             const std::string& digest, const std::string& receipt_json) {
  return st_->save_op.Bind(1, op_id).Bind(2, kind).BindBlob(3, digest)
      .Bind(4, receipt_json).Run();
}

Result<std::optional<CardRow>> Ledger::FindCard(const std::string& card_hash) {
  Statement& s = st_->find_card;
  s.BindBlob(1, card_hash);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<CardRow> found;
  if (*row) found = CardRow{s.Text(0), s.Text(1), s.Int(2) != 0};
  s.Reset();
  return found;
}

bool Ledger::InTransaction(std::uint64_t generation) const {
  // Inside a Transaction (odd generation) that SQLite has not ended on its
  // own (an I/O error rolls back): its writes are ours alone.
  return generation % 2 == 1 && sqlite3_get_autocommit(db_->handle()) == 0;
}

Result<std::optional<AccountRow>> Ledger::FindAccount(const std::string& account_id) {
  const std::uint64_t generation = db_->transaction_generation();
  const bool in_transaction = InTransaction(generation);
  if (in_transaction && cached_account_generation_ == generation &&
      cached_account_.account_id == account_id) {
    return std::optional<AccountRow>(cached_account_);
  }
  Statement& s = st_->find_account;
  s.Bind(1, account_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<AccountRow> found;
  if (*row) {
    found = AccountRow{s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Int(4), s.Text(5),
                       s.Text(6)};
    if (in_transaction) {
      cached_account_ = *found;
      cached_account_generation_ = generation;
    }
  }
  s.Reset();
  return found;
}

Status Ledger::InsertAccount(const AccountRow& a) {
  cached_account_generation_ = 0;
  return st_->insert_account.Bind(1, a.account_id).Bind(2, a.name)
      .Bind(3, a.created_at).Bind(4, a.balance).Bind(5, a.debt).Bind(6, a.birthday)
      .Bind(7, a.referred_by).Run();
}

Status Ledger::InsertCard(const std::string& card_hash, const std::string& account_id,
                          const std::string& masked, std::int64_t at) {
  return st_->insert_card.BindBlob(1, card_hash).Bind(2, account_id).Bind(3, masked)
      .Bind(4, at).Run();
}

Status Ledger::SetCardBlocked(const std::string& card_hash, bool blocked) {
  return st_->set_blocked.BindBlob(1, card_hash)
      .Bind(2, static_cast<std::int64_t>(blocked ? 1 : 0)).Run();
}

Result<std::string> Ledger::MaskedCardOf(const std::string& account_id) {
  Statement& s = st_->masked_card;
  s.Bind(1, account_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  std::string masked = *row ? s.Text(0) : std::string();
  s.Reset();
  return masked;
}

namespace {

Lot ReadLot(const Statement& s) {
  Lot lot;
  lot.id = s.Int(0);
  lot.points = s.Int(1);
  lot.remaining = s.Int(2);
  lot.earned_at = s.Int(3);
  lot.pending_until = s.Int(4);
  lot.expires_at = s.Int(5);
  return lot;
}

}  // namespace

Result<Book> Ledger::LoadBook(const std::string& account_id,
                              const std::vector<std::int64_t>& also) {
  auto account = FindAccount(account_id);
  if (!account.ok()) return account.status();
  if (!*account) {
    return Status(StatusCode::kNotFound, "account '" + account_id + "' not found");
  }
  Book book((*account)->balance, (*account)->debt);
  if (remote_share_) {
    auto remote = remote_share_(account_id);
    if (!remote.ok()) return remote.status();
    book.SetRemote(*remote);
  }
  Statement& s = st_->open_lots;
  s.Bind(1, account_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    book.Load(ReadLot(s));
  }
  s.Reset();
  for (std::int64_t id : also) {
    if (book.lots().count(id)) continue;
    Statement& l = st_->lot_by_id;
    l.Bind(1, id).Bind(2, account_id);
    auto row = l.Step();
    if (!row.ok()) return row.status();
    if (*row) book.Load(ReadLot(l));
    l.Reset();
  }
  return book;
}

Status Ledger::SaveBook(const std::string& account_id, const Book& book,
                        std::int64_t now) {
  for (const auto& [id, lot] : book.lots()) {
    if (lot.fresh) {
      if (Status s = st_->insert_lot.Bind(1, lot.id).Bind(2, account_id)
                         .Bind(3, lot.points).Bind(4, lot.remaining)
                         .Bind(5, lot.earned_at).Bind(6, lot.pending_until)
                         .Bind(7, lot.expires_at).Run();
          !s.ok()) {
        return s;
      }
    } else if (lot.dirty) {
      if (Status s = st_->update_lot.Bind(1, lot.id).Bind(2, lot.remaining).Run();
          !s.ok()) {
        return s;
      }
    }
  }
  const Book::Sums sums = book.SumsAt(now);
  if (Status s = st_->update_account.Bind(1, account_id).Bind(2, book.balance())
                     .Bind(3, book.debt()).Bind(4, sums.usable).Bind(5, sums.pending)
                     .Bind(6, sums.from).Bind(7, sums.until).Run();
      !s.ok()) {
    cached_account_generation_ = 0;
    return s;
  }
  if (cached_account_.account_id == account_id) {
    cached_account_.balance = book.balance();
    cached_account_.debt = book.debt();
  }
  return Status::Ok();
}

Status Ledger::SaveMoves(std::int64_t seq, const std::vector<LotMove>& moves) {
  for (const LotMove& m : moves) {
    if (Status s = st_->insert_move.Bind(1, seq).Bind(2, m.lot_id).Bind(3, m.points).Run();
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Result<std::vector<LotMove>> Ledger::MovesOf(std::int64_t seq) {
  std::vector<LotMove> moves;
  Statement& s = st_->moves_of;
  s.Bind(1, seq);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    moves.push_back({s.Int(0), s.Int(1)});
  }
  s.Reset();
  return moves;
}

Result<std::vector<LotMove>> Ledger::Outstanding(std::int64_t debit_seq) {
  auto taken = MovesOf(debit_seq);
  if (!taken.ok()) return taken.status();
  std::vector<LotMove> outstanding;
  for (const LotMove& m : *taken) outstanding.push_back({m.lot_id, -m.points});
  Statement& s = st_->given_back;
  s.Bind(1, debit_seq);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    for (LotMove& o : outstanding) {
      if (o.lot_id == s.Int(0)) o.points -= s.Int(1);
    }
  }
  s.Reset();
  return outstanding;
}

Result<std::vector<std::string>> Ledger::AccountsWithExpiredLots(std::int64_t now) {
  std::vector<std::string> accounts;
  Statement& s = st_->expired_accounts;
  s.Bind(1, now);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    accounts.push_back(s.Text(0));
  }
  s.Reset();
  return accounts;
}

Result<std::vector<std::string>> Ledger::InactiveAccounts(std::int64_t cutoff) {
  std::vector<std::string> accounts;
  Statement& s = st_->inactive_accounts;
  s.Bind(1, cutoff);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    accounts.push_back(s.Text(0));
  }
  s.Reset();
  return accounts;
}

Result<Ledger::Head> Ledger::ReadHead() {
  Statement& s = st_->read_head;
  auto row = s.Step();
  if (!row.ok()) return row.status();
  Head head;
  if (*row) {
    const std::string value = s.Blob(0);
    if (value.size() != 8 + 32 + 32) {
      s.Reset();
      return Status(StatusCode::kTampered, "chain head record is malformed");
    }
    std::uint64_t seq = 0;
    for (int i = 0; i < 8; ++i) {
      seq = (seq << 8) | static_cast<unsigned char>(value[static_cast<size_t>(i)]);
    }
    head.seq = static_cast<std::int64_t>(seq);
    head.mac = value.substr(8, 32);
    if (!SameMac(value.substr(40, 32), chain_.HeadTag(head.seq, head.mac))) {
      s.Reset();
      return Status(StatusCode::kTampered,
                    "chain head record does not verify under the terminal key");
    }
  }
  s.Reset();
  return head;
}

Result<Ledger::Head> Ledger::CurrentHead() {
  const std::uint64_t generation = db_->transaction_generation();
  const bool in_transaction = InTransaction(generation);
  // Kept within a transaction, and into the next one when the transaction
  // that last read or wrote it committed and none ran between: nothing
  // else writes the head (the Terminal holds the file exclusively and
  // every write runs in a Transaction), and Verify() reads it afresh.
  if (in_transaction && cached_head_generation_ != 0 &&
      (cached_head_generation_ == generation ||
       (cached_head_generation_ + 2 == generation &&
        db_->committed_generation() == cached_head_generation_ + 1))) {
    cached_head_generation_ = generation;
    return cached_head_;
  }
  auto head = ReadHead();
  if (!head.ok()) return head.status();
  if (in_transaction) {
    cached_head_ = *head;
    cached_head_generation_ = generation;
  }
  return head;
}

Result<std::int64_t> Ledger::NextSeq() {
  auto head = CurrentHead();
  if (!head.ok()) return head.status();
  return head->seq + 1;
}

Status Ledger::Append(EntryRecord& entry) {
  auto head = CurrentHead();
  if (!head.ok()) return head.status();
  entry.seq = head->seq + 1;
  entry.mac = chain_.EntryMac(head->mac, entry);
  Statement& s = st_->insert_entry;
  s.Bind(1, entry.seq).Bind(2, entry.op_id).Bind(3, EntryKindName(entry.kind))
      .Bind(4, entry.account_id).Bind(5, entry.points).Bind(6, entry.amount_minor)
      .Bind(7, entry.currency).Bind(8, entry.reverses_seq)
      .Bind(9, entry.pending_until).Bind(10, entry.expires_at).Bind(11, entry.at)
      .Bind(12, entry.note).BindBlob(13, entry.mac).Bind(14, entry.units);
  if (entry.ref) {
    s.Bind(15, *entry.ref);
  } else {
    s.BindNull(15);
  }
  if (Status st = s.Run(); !st.ok()) return st;
  std::string value;
  const auto useq = static_cast<std::uint64_t>(entry.seq);
  for (int shift = 56; shift >= 0; shift -= 8) {
    value.push_back(static_cast<char>((useq >> shift) & 0xff));
  }
  value += entry.mac;
  value += chain_.HeadTag(entry.seq, entry.mac);
  cached_head_generation_ = 0;
  if (Status st = st_->write_head.BindBlob(1, value).Run(); !st.ok()) return st;
  const std::uint64_t generation = db_->transaction_generation();
  if (InTransaction(generation)) {
    cached_head_ = Head{entry.seq, entry.mac};
    cached_head_generation_ = generation;
  }
  return Status::Ok();
}

Result<std::string> Ledger::Currency() {
  auto stmt = db_->Prepare("SELECT currency FROM entries ORDER BY seq LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Text(0) : std::string();
}

Result<EntryRecord> Ledger::ReadEntry(const Statement& s) {
  EntryRecord e;
  e.seq = s.Int(0);
  e.op_id = s.Text(1);
  auto kind = EntryKindFromName(s.Text(2));
  if (!kind) {
    return Status(StatusCode::kTampered,
                  "entry " + std::to_string(e.seq) + ": unknown kind '" + s.Text(2) + "'");
  }
  e.kind = *kind;
  e.account_id = s.Text(3);
  e.points = s.Int(4);
  e.amount_minor = s.Int(5);
  e.currency = s.Text(6);
  e.reverses_seq = s.OptionalInt(7);
  e.pending_until = s.OptionalInt(8);
  e.expires_at = s.OptionalInt(9);
  e.at = s.Int(10);
  e.note = s.Text(11);
  e.mac = s.Blob(12);
  e.units = s.OptionalInt(13);
  if (!s.IsNull(14)) e.ref = s.Text(14);
  return e;
}

Result<std::vector<EntryRecord>> Ledger::EntriesOfOperation(const std::string& op_id) {
  std::vector<EntryRecord> entries;
  Statement& s = st_->entries_of_op;
  s.Bind(1, op_id);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto e = ReadEntry(s);
    if (!e.ok()) {
      s.Reset();
      return e.status();
    }
    entries.push_back(std::move(*e));
  }
  s.Reset();
  return entries;
}

Result<std::vector<EntryRecord>> Ledger::ReversalsOf(std::int64_t seq) {
  std::vector<EntryRecord> entries;
  Statement& s = st_->reversals_of;
  s.Bind(1, seq);
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto e = ReadEntry(s);
    if (!e.ok()) {
      s.Reset();
      return e.status();
    }
    entries.push_back(std::move(*e));
  }
  s.Reset();
  return entries;
}

Result<std::vector<HistoryEntry>> Ledger::History(const std::string& account_id,
                                                  int limit) {
  std::vector<HistoryEntry> out;
  Statement& s = st_->history;
  s.Bind(1, account_id).Bind(2, static_cast<std::int64_t>(limit));
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    HistoryEntry h;
    h.seq = s.Int(0);
    h.at = Timestamp(std::chrono::milliseconds(s.Int(1)));
    h.op_id = s.Text(2);
    h.kind = EntryKindFromName(s.Text(3)).value_or(EntryKind::kAdjust);
    h.points = s.Int(4);
    h.amount_minor = s.Int(5);
    h.currency = s.Text(6);
    h.reverses_seq = s.OptionalInt(7);
    h.note = s.Text(8);
    h.stamps = s.Int(9);
    h.stamp_card = s.Text(10);
    out.push_back(std::move(h));
  }
  s.Reset();
  return out;
}

Result<std::int64_t> Ledger::EntryCount() {
  Statement& s = st_->entry_count;
  auto row = s.Step();
  if (!row.ok()) return row.status();
  const std::int64_t n = s.Int(0);
  s.Reset();
  return n;
}

}  // namespace loyalty::ledger
