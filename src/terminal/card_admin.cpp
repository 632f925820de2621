// The back office's hand on a card: a manual adjustment of its points, a
// block or an unblock; both name the operator and the reason.
#include "loyalty/terminal.hpp"

#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<Receipt> Terminal::Adjust(const Adjustment& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.points == 0) {
    return Status(StatusCode::kInvalidArgument, "points: an adjustment cannot be 0");
  }
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required");
  }
  if (request.reason.empty()) {
    return Status(StatusCode::kInvalidArgument, "reason: is required");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(request.points)
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "adjust", digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/false);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kAdjust, card->account_id, now);
    e.points = request.points;
    if (request.points > 0) im.SetCreditDates(e);
    e.pending_until = request.points > 0 ? std::optional<std::int64_t>(now) : std::nullopt;
    e.note = request.operator_id + ": " + request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, card->blocked, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    (request.points > 0 ? r.earned : r.redeemed) =
        request.points > 0 ? request.points : -request.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

Result<Receipt> Terminal::Block(const CardBlock& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(static_cast<std::int64_t>(request.blocked))
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, request.blocked ? "block" : "unblock", digest,
                      [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/false);
    if (!card.ok()) return card.status();
    if (Status s = im.ledger->SetCardBlocked(im.CardHash(request.card), request.blocked);
        !s.ok()) {
      return s;
    }
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(request.op_id,
                                request.blocked ? EntryKind::kBlock : EntryKind::kUnblock,
                                card->account_id, now);
    e.note = "card " + request.card.Masked() + " by " + request.operator_id + ": " +
             request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, request.blocked, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

}  // namespace loyalty
