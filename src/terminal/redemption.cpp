// Redeeming points outside a sale.
#include "loyalty/terminal.hpp"

#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<Receipt> Terminal::Redeem(const Redemption& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.points <= 0) {
    return Status(request.points < 0 ? StatusCode::kAmountNegative
                                     : StatusCode::kInvalidArgument,
                  "points: " + std::to_string(request.points) + " must be > 0");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(request.points)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "redeem", digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    if (Status s = im.ReleaseExpiredHolds(card->account_id, *book, now); !s.ok()) return s;
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kRedeem, card->account_id, now);
    e.points = -request.points;
    e.note = request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) {
      if (s.code() == StatusCode::kInsufficientPoints) {
        return Status(s.code(), "card " + request.card.Masked() + ": " + s.message());
      }
      return s;
    }
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.redeemed = request.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

}  // namespace loyalty
