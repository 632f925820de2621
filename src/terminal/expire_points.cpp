// Expiring points past their date and the points of idle accounts, as one
// operation over every account concerned.
#include "loyalty/terminal.hpp"

#include <algorithm>
#include <mutex>
#include "terminal/terminal_impl.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<std::vector<Receipt>> Terminal::ExpirePoints(const std::string& op_id) {
  Impl& im = *impl_;
  if (Status s = im.CheckWritable("ExpirePoints"); !s.ok()) return s;
  if (Status s = terminal::CheckOpId(op_id); !s.ok()) return s;
  std::lock_guard<std::mutex> guard(im.mutex);
  ledger::Transaction tx(im.ledger->database());
  if (!tx.begun().ok()) return tx.begun();
  const std::string digest = terminal::RequestDigest().Add("expire").Finish();
  auto stored = im.ledger->FindOperation(op_id);
  if (!stored.ok()) return stored.status();
  if (*stored) {
    if ((*stored)->kind != "expire") {
      return Status(StatusCode::kDuplicateIdConflict,
                    "op_id '" + op_id + "' was already used for a " + (*stored)->kind);
    }
    auto receipts = terminal::ReceiptsFromJson((*stored)->receipt_json);
    if (!receipts.ok()) return receipts.status();
    for (auto& r : *receipts) r.replayed = true;
    return receipts;
  }
  const std::int64_t now = im.NowMs();
  auto accounts = im.ledger->AccountsWithExpiredLots(now);
  if (!accounts.ok()) return accounts.status();
  std::vector<std::string> inactive;
  if (im.program.inactivity_days > 0) {
    auto found =
        im.ledger->InactiveAccounts(now - im.program.inactivity_days * terminal::kDayMs);
    if (!found.ok()) return found.status();
    inactive = std::move(*found);
  }
  for (const std::string& a : inactive) {
    if (std::find(accounts->begin(), accounts->end(), a) == accounts->end()) {
      accounts->push_back(a);
    }
  }
  std::vector<Receipt> receipts;
  for (const std::string& account_id : *accounts) {
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    EntryRecord e = im.NewEntry(op_id, EntryKind::kExpire, account_id, now);
    const bool idle =
        std::find(inactive.begin(), inactive.end(), account_id) != inactive.end();
    e.points = -(idle ? book->Held() : book->ExpiredPoints(now));
    e.note = idle ? "no purchase for " + std::to_string(im.program.inactivity_days) + " days"
                  : "points past their expiry date";
    if (idle) e.ref = ledger::kInactivityRef;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
    auto masked = im.ledger->MaskedCardOf(account_id);
    if (!masked.ok()) return masked.status();
    auto view = im.View(account_id, *book, *masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.op_id = op_id;
    r.account_id = account_id;
    r.card_masked = *masked;
    r.redeemed = -e.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    receipts.push_back(std::move(r));
  }
  if (Status s = im.ledger->SaveOperation(op_id, "expire", digest,
                                          terminal::ReceiptsToJson(receipts));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return receipts;
}

Status Terminal::Impl::ExpireDue(const std::string& op_id, const std::string& account_id,
                                 ledger::Book& book, std::int64_t now, Receipt& r) {
  bool idle = false;
  if (program.inactivity_days > 0 && book.Held() > 0) {
    auto last = ledger->LastActivity(account_id);
    if (!last.ok()) return last.status();
    idle = *last < now - program.inactivity_days * terminal::kDayMs;
  }
  const Points due = idle ? book.Held() : book.ExpiredPoints(now);
  if (due <= 0) return Status::Ok();
  EntryRecord e = NewEntry(op_id, EntryKind::kExpire, account_id, now);
  e.points = -due;
  e.note = idle ? "no purchase for " + std::to_string(program.inactivity_days) + " days"
                : "points past their expiry date";
  if (idle) e.ref = ledger::kInactivityRef;
  if (Status s = Post(book, e); !s.ok()) return s;
  r.entry_seqs.push_back(e.seq);
  r.explanations.push_back({"expiry", -due, std::to_string(due) + " points expired: " + e.note});
  return Status::Ok();
}

}  // namespace loyalty
