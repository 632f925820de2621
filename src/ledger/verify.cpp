// Integrity: the hash chain, the sealed head and the cached balances; and
// the rebuild of every cache from the entries.
#include <map>
#include <string_view>

#include "ledger/apply.hpp"
#include "ledger/ledger.hpp"

namespace loyalty::ledger {
namespace {

constexpr std::int64_t kProgressEvery = 65536;

VerifyReport Bad(VerifyReport report, std::int64_t seq, std::string problem) {
  report.ok = false;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  if (seq != 0) {
    report.table = "entries";
    report.row = "seq=" + std::to_string(seq);
  }
  return report;
}

VerifyReport BadRow(VerifyReport report, std::string table, std::string row,
                    std::string problem) {
  report.ok = false;
  report.table = std::move(table);
  report.row = std::move(row);
  report.problem = std::move(problem);
  return report;
}

}  // namespace

Result<VerifyReport> Ledger::Verify(const ProgressFn& progress) {
  VerifyReport report;
  // A read transaction gives one consistent snapshot of all tables.
  if (Status s = db_->Exec("BEGIN"); !s.ok()) return s;
  struct EndRead {
    Database& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{*db_};

  // Pages SQLite itself finds damaged come first: nothing read from them
  // could be trusted.
  auto integrity = db_->Prepare("PRAGMA integrity_check(1)");
  if (!integrity.ok()) return integrity.status();
  auto integrity_row = integrity->Step();
  if (!integrity_row.ok()) {
    if (integrity_row.status().code() == StatusCode::kDatabaseCorrupt) {
      return BadRow(report, "", "", "SQLite's integrity check failed: " +
                                        integrity_row.status().message());
    }
    return integrity_row.status();
  }
  if (*integrity_row && integrity->Text(0) != "ok") {
    return BadRow(report, "", "",
                  "SQLite's integrity check failed: " + integrity->Text(0).substr(0, 200));
  }
  // The key check: without it a ledger could be reopened under any key.
  auto key_check = db_->Prepare("SELECT value FROM meta WHERE key = 'key_check'");
  if (!key_check.ok()) return key_check.status();
  auto key_row = key_check->Step();
  if (!key_row.ok()) return key_row.status();
  if (!*key_row || !SameMac(key_check->Blob(0), chain_.KeyCheck())) {
    return BadRow(report, "meta", "key='key_check'",
                  "table meta, row key='key_check': the key check is missing or does "
                  "not match the terminal key");
  }
  key_check->Reset();

  auto head = ReadHead();
  if (!head.ok()) {
    if (head.status().code() == StatusCode::kTampered) {
      return Bad(report, 0, head.status().message());
    }
    return head.status();
  }
  auto total = EntryCount();
  if (!total.ok()) return total.status();

  auto scan = db_->Prepare(
      "SELECT seq, op_id, kind, account_id, points, amount_minor, currency, "
      "reverses_seq, pending_until, expires_at, at, note, mac, units, ref FROM entries "
      "ORDER BY seq");
  if (!scan.ok()) return scan.status();
  std::int64_t expected = 1;
  std::string previous_mac(32, '\0');
  for (;;) {
    auto row = scan->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto entry = ReadEntry(*scan);
    if (!entry.ok()) return Bad(report, scan->Int(0), entry.status().message());
    if (entry->seq != expected) {
      if (entry->seq > expected) {
        return Bad(report, expected,
                   "entry " + std::to_string(expected) + " is missing (removed); next is " +
                       std::to_string(entry->seq));
      }
      return Bad(report, entry->seq,
                 "entry " + std::to_string(entry->seq) + " is out of sequence");
    }
    if (!SameMac(entry->mac, chain_.EntryMac(previous_mac, *entry))) {
      return Bad(report, entry->seq,
                 "entry " + std::to_string(entry->seq) +
                     " was altered, inserted or moved: its MAC does not verify");
    }
    // A program entry has no account and moves nothing; only it has no
    // account (ledger/program_entries.cpp).
    if ((entry->kind == EntryKind::kProgram) != entry->account_id.empty()) {
      return Bad(report, entry->seq,
                 "entry " + std::to_string(entry->seq) +
                     (entry->account_id.empty() ? " has no account but is not a program entry"
                                                : " is a program entry naming an account"));
    }
    if (entry->kind == EntryKind::kProgram &&
        (entry->points != 0 || entry->amount_minor != 0 || entry->units ||
         !entry->ref || entry->ref->size() != 64)) {
      return Bad(report, entry->seq,
                 "entry " + std::to_string(entry->seq) +
                     ": a program entry must move nothing and hold a SHA-256");
    }
    previous_mac = entry->mac;
    ++expected;
    ++report.entries_checked;
    if (progress && report.entries_checked % kProgressEvery == 0) {
      progress(report.entries_checked, *total);
    }
  }
  const std::int64_t last = expected - 1;
  if (last < head->seq) {
    return Bad(report, last + 1,
               "entries " + std::to_string(last + 1) + " to " + std::to_string(head->seq) +
                   " were removed from the end of the ledger");
  }
  if (last > head->seq) {
    return Bad(report, head->seq + 1,
               "entry " + std::to_string(head->seq + 1) +
                   " was added after the sealed chain head");
  }
  if (last > 0 && !SameMac(previous_mac, head->mac)) {
    return Bad(report, last, "entry " + std::to_string(last) + " does not match the chain head");
  }
  if (progress) progress(report.entries_checked, *total);

  auto balances = db_->Prepare(
      "SELECT a.account_id, a.balance, a.debt, "
      "  COALESCE((SELECT SUM(points) FROM entries e WHERE e.account_id = a.account_id), 0), "
      "  a.lots_usable, a.lots_pending, a.lots_from, a.lots_until "
      "FROM accounts a ORDER BY a.account_id");
  if (!balances.ok()) return balances.status();
  // The open lots in account order (the open_lots index), walked beside
  // the accounts: one pass for their total and the cached sums' check.
  auto lots = db_->Prepare(
      "SELECT account_id, remaining, pending_until, expires_at FROM lots "
      "WHERE remaining > 0 ORDER BY account_id");
  if (!lots.ok()) return lots.status();
  auto lot_row = lots->Step();
  if (!lot_row.ok()) return lot_row.status();
  for (;;) {
    auto row = balances->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string account = balances->Text(0);
    const Points cached = balances->Int(1);
    const Points debt = balances->Int(2);
    const Points entries = balances->Int(3);
    const Points usable = balances->Int(4);
    const Points pending = balances->Int(5);
    const std::int64_t from = balances->Int(6);
    const std::int64_t until = balances->Int(7);
    // What the lots hold, at `from`, and whether one changes inside the
    // window [from, until) (Book::SumsAt).
    Points lots_held = 0;
    Points lots_usable = 0;
    Points lots_pending = 0;
    bool changes_inside = false;
    while (*lot_row) {
      const std::string_view lot_account = lots->TextView(0);
      if (lot_account > std::string_view(account)) break;
      if (lot_account == account) {  // lots of no account were never counted
        const Points remaining = lots->Int(1);
        const std::int64_t matures = lots->Int(2);
        const std::int64_t expires = lots->Int(3);
        lots_held += remaining;
        if (from < expires) (matures <= from ? lots_usable : lots_pending) += remaining;
        changes_inside = changes_inside || (matures > from && matures < until) ||
                         (expires > from && expires < until);
      }
      lot_row = lots->Step();
      if (!lot_row.ok()) return lot_row.status();
    }
    if (cached != entries) {
      return Bad(report, 0,
                 "account " + account + ": cached balance " + std::to_string(cached) +
                     " but its entries sum to " + std::to_string(entries));
    }
    if (lots_held - debt != entries) {
      return Bad(report, 0,
                 "account " + account + ": lots hold " + std::to_string(lots_held) +
                     " less debt " + std::to_string(debt) + " but its entries sum to " +
                     std::to_string(entries));
    }
    // An empty window is never used; any other must be exact throughout.
    if (from < until) {
      if (usable != lots_usable || pending != lots_pending) {
        return Bad(report, 0,
                   "account " + account + ": cached lot sums " + std::to_string(usable) +
                       " usable, " + std::to_string(pending) + " pending but its lots hold " +
                       std::to_string(lots_usable) + " and " + std::to_string(lots_pending));
      }
      if (changes_inside) {
        return Bad(report, 0,
                   "account " + account + ": a lot matures or expires inside the window " +
                       "its cached lot sums claim to hold in");
      }
    }
    ++report.accounts_checked;
  }
  auto orphans = db_->Prepare(
      "SELECT seq, account_id FROM entries WHERE account_id <> '' AND account_id NOT IN "
      "(SELECT account_id FROM accounts) ORDER BY seq LIMIT 1");
  if (!orphans.ok()) return orphans.status();
  auto orphan = orphans->Step();
  if (!orphan.ok()) return orphan.status();
  if (*orphan) {
    return Bad(report, orphans->Int(0),
               "entry " + std::to_string(orphans->Int(0)) + " names account " +
                   orphans->Text(1) + ", which does not exist");
  }
  // Every other table's rows against their seals (ledger/seals.hpp).
  auto sealed = seals_->Check();
  if (!sealed.ok()) return sealed.status();
  if (*sealed) {
    const SealProblem& p = **sealed;
    return BadRow(report, p.table, p.row,
                  "table " + p.table + (p.row.empty() ? "" : ", row " + p.row) + ": " + p.what);
  }
  return report;
}

Status Ledger::Rebuild(std::int64_t now) {
  auto check = Verify({});
  if (!check.ok()) return check.status();
  // The caches and lots are what a rebuild rewrites; anything else wrong
  // (the chain, a card, an operation) it cannot mend.
  const bool mendable =
      check->table.empty() || check->table == "lots" || check->table == "lot_moves";
  if (!check->ok && (check->first_bad_seq != 0 || !mendable)) {
    return {StatusCode::kTampered,
            "refusing to rebuild from a ledger that does not verify: " + check->problem};
  }
  Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  seals_->TrustBeforeFlush({"lots", "lot_moves"});
  struct Untrust {
    Seals& seals;
    ~Untrust() { seals.TrustBeforeFlush({}); }
  } untrust{*seals_};
  cached_account_generation_ = 0;
  if (Status s = db_->Exec("DELETE FROM lots; DELETE FROM lot_moves; "
                           "UPDATE accounts SET balance = 0, debt = 0, lots_usable = 0, "
                           "lots_pending = 0, lots_from = -9223372036854775807 - 1, "
                           "lots_until = 9223372036854775807");
      !s.ok()) {
    return s;
  }
  auto scan = db_->Prepare(
      "SELECT seq, op_id, kind, account_id, points, amount_minor, currency, "
      "reverses_seq, pending_until, expires_at, at, note, mac, units, ref FROM entries "
      "ORDER BY account_id, seq");
  if (!scan.ok()) return scan.status();

  std::string account;
  Book book(0, 0);
  std::map<std::int64_t, std::vector<LotMove>> outstanding;
  auto flush = [&]() -> Status {
    if (account.empty()) return Status::Ok();
    return SaveBook(account, book, now);
  };
  for (;;) {
    auto row = scan->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto entry = ReadEntry(*scan);
    if (!entry.ok()) return entry.status();
    if (entry->account_id != account) {
      if (Status s = flush(); !s.ok()) return s;
      account = entry->account_id;
      book = Book(0, 0);
      // Entries are facts: a spend the server's share covered replays as debt.
      book.AcceptShortfall();
      outstanding.clear();
    }
    static const std::vector<LotMove> kNone;
    const std::vector<LotMove>& owed =
        entry->kind == EntryKind::kRedeemReversal && entry->reverses_seq &&
                outstanding.count(*entry->reverses_seq)
            ? outstanding[*entry->reverses_seq]
            : kNone;
    auto moves = ApplyEntry(book, *entry, owed);
    if (!moves.ok()) {
      return {StatusCode::kTampered, "entry " + std::to_string(entry->seq) +
                                         " cannot be replayed: " + moves.status().message()};
    }
    if (Status s = SaveMoves(entry->seq, *moves); !s.ok()) return s;
    if (entry->points < 0 && (entry->kind == EntryKind::kRedeem ||
                              entry->kind == EntryKind::kAdjust)) {
      auto& list = outstanding[entry->seq];
      for (const LotMove& m : *moves) list.push_back({m.lot_id, -m.points});
    } else if (entry->kind == EntryKind::kRedeemReversal && entry->reverses_seq) {
      auto& list = outstanding[*entry->reverses_seq];
      for (const LotMove& m : *moves) {
        for (LotMove& o : list) {
          if (o.lot_id == m.lot_id) o.points -= m.points;
        }
      }
    }
  }
  if (Status s = flush(); !s.ok()) return s;
  // Lots were re-inserted as fresh; nothing else to clear.
  return tx.Commit();
}

}  // namespace loyalty::ledger
