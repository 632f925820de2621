// A customer event the program pays a bonus for (a review, an app
// install): the bonus, spendable at once.
#include "loyalty/terminal.hpp"

#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<Receipt> Terminal::RecordEvent(const CustomerEvent& event) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(event); !s.ok()) return s;
  const std::string digest =
      terminal::RequestDigest().Add(event.card.value()).Add(event.event).Finish();
  return im.Operation(event.op_id, "event", digest, [&]() -> Result<Receipt> {
    Points bonus = 0;
    for (const auto& [name, points] : im.program.event_bonuses) {
      if (name == event.event) bonus = points;
    }
    if (bonus == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "event: program '" + im.program.id + "' has no bonus for '" +
                        event.event + "'");
    }
    auto card = im.FindCard(event.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(event.op_id, EntryKind::kEarn, card->account_id, now);
    e.points = bonus;
    im.SetCreditDates(e);
    e.pending_until = now;
    e.note = event.event + " bonus";
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.earned = bonus;
    r.entry_seqs.push_back(e.seq);
    r.explanations.push_back({event.event, bonus, e.note + ": " + std::to_string(bonus) +
                                                      " points"});
    r.after = std::move(*view);
    return r;
  }, event.cashier_id);
}

}  // namespace loyalty
