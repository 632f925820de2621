// The programs that went in force, as entries of the chain (kind
// "program", no account): the ledger proves which program each sale was
// computed under, and a program file changed behind the till's back shows
// as a hash the ledger never recorded (docs/ledger.md, "Programs").
#include "ledger/ledger.hpp"

namespace loyalty::ledger {

Result<std::optional<ProgramRecord>> Ledger::LastProgram() {
  // Only program entries have no account: the entries_by_account index
  // finds the newest at once.
  auto stmt = db_->Prepare(
      "SELECT seq, COALESCE(ref, ''), note FROM entries WHERE account_id = '' "
      "ORDER BY seq DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ProgramRecord>();
  return std::optional<ProgramRecord>(ProgramRecord{stmt->Int(0), stmt->Text(1), stmt->Text(2)});
}

Result<bool> Ledger::ProgramRecorded(const std::string& sha256_hex) {
  auto stmt = db_->Prepare(
      "SELECT EXISTS (SELECT 1 FROM entries WHERE account_id = '' AND ref = ?1)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, sha256_hex);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0) != 0;
}

Status Ledger::AppendProgram(const std::string& sha256_hex, const std::string& currency,
                             std::int64_t at, const std::string& note) {
  Transaction tx(*db_);
  if (!tx.begun().ok()) return tx.begun();
  EntryRecord entry;
  entry.kind = EntryKind::kProgram;
  entry.currency = currency;
  entry.at = at;
  entry.note = note;
  entry.ref = sha256_hex;
  if (Status s = Append(entry); !s.ok()) return s;
  return tx.Commit();
}

}  // namespace loyalty::ledger
