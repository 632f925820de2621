// Reservations: the spend half of a sale now, the earn half when payment
// went through, or everything back when it did not.
#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Status Terminal::Impl::ReleaseHold(const ledger::Hold& hold, const std::string& op_id,
                                   ledger::Book& book, std::int64_t now, Receipt& r) {
  auto entries = ledger->EntriesOfOperation(hold.op_id);
  if (!entries.ok()) return entries.status();
  for (const EntryRecord& spent : *entries) {
    // Whatever a void already gave back is not given twice.
    auto reversals = ledger->ReversalsOf(spent.seq);
    if (!reversals.ok()) return reversals.status();
    Points given = 0;
    std::int64_t units_given = 0;
    for (const EntryRecord& rev : *reversals) {
      given += rev.points;
      units_given += rev.units.value_or(0);
    }
    if (spent.kind == EntryKind::kRedeem && -spent.points - given > 0) {
      auto outstanding = ledger->Outstanding(spent.seq);
      if (!outstanding.ok()) return outstanding.status();
      EntryRecord e = NewEntry(op_id, EntryKind::kRedeemReversal, hold.account_id, now);
      e.points = -spent.points - given;
      e.reverses_seq = spent.seq;
      e.note = "reservation " + hold.op_id + " released";
      if (Status s = Post(book, e, *outstanding); !s.ok()) return s;
      r.redeemed -= e.points;
      r.entry_seqs.push_back(e.seq);
    } else if (spent.kind == EntryKind::kStoredValue && spent.units && spent.ref &&
               *spent.units < 0 && -*spent.units - units_given > 0) {
      if (Status s = MoveStoredValue(op_id, spent.account_id, *spent.ref,
                                     -*spent.units - units_given, spent.seq,
                                     "reservation " + hold.op_id + " released", now, r);
          !s.ok()) {
        return s;
      }
    } else if (spent.kind == EntryKind::kStamp && spent.units && *spent.units < 0 &&
               -*spent.units - units_given > 0) {
      EntryRecord e = NewEntry(op_id, EntryKind::kStamp, hold.account_id, now);
      e.units = -*spent.units - units_given;
      e.ref = spent.ref;
      e.reverses_seq = spent.seq;
      e.note = "reservation " + hold.op_id + " released";
      if (Status s = Post(book, e); !s.ok()) return s;
      r.entry_seqs.push_back(e.seq);
    }
  }
  if (Status s = ledger->ReverseRewardUses(hold.op_id); !s.ok()) return s;
  if (Status s = ledger->ReverseCouponUses(hold.op_id); !s.ok()) return s;
  return ledger->SetHoldState(hold.op_id, "released");
}

Status Terminal::Impl::ReleaseExpiredHolds(const std::string& account_id, ledger::Book& book,
                                           std::int64_t now) {
  auto holds = ledger->OpenHolds(account_id);
  if (!holds.ok()) return holds.status();
  for (const ledger::Hold& hold : *holds) {
    if (hold.expires_at > now) continue;
    Receipt ignored;
    // Written under the reservation's own op_id: nobody asked for it.
    if (Status s = ReleaseHold(hold, hold.op_id, book, now, ignored); !s.ok()) return s;
    Log(LogLevel::kInfo, "reservation " + hold.op_id + " expired and was released");
  }
  return Status::Ok();
}

Result<Receipt> Terminal::Reserve(const Checkout& checkout) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(checkout); !s.ok()) return s;
  if (checkout.redeem_points < 0) {
    return Status(StatusCode::kAmountNegative,
                  "redeem_points: " + std::to_string(checkout.redeem_points) + " is negative");
  }
  const std::string digest = im.CheckoutDigest(checkout);
  return im.Operation(checkout.op_id, "reservation", digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(checkout.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    if (Status s = im.ReleaseExpiredHolds(card->account_id, *book, now); !s.ok()) return s;
    auto quote = im.QuoteForSale(checkout, card->account_id, *book, now);
    if (!quote.ok()) return quote.status();
    Receipt r;
    if (Status s = im.SpendSide(checkout, card->account_id, *book, *quote, now, r); !s.ok()) {
      return s;
    }
    ledger::Hold hold{checkout.op_id, card->account_id, quote->points_to_spend,
                      now + std::int64_t{im.program.hold_minutes} * 60'000, "open",
                      terminal::HoldToJson(checkout.basket, *quote)};
    if (Status s = im.ledger->InsertHold(hold); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.held = quote->points_to_spend;
    r.explanations = quote->lines;
    r.after = std::move(*view);
    return r;
  }, checkout.cashier_id, Impl::OlderCheckoutDigests(checkout));
}

Result<Receipt> Terminal::ConfirmReservation(const ReservationDecision& decision) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(decision); !s.ok()) return s;
  const std::string digest = terminal::RequestDigest().Add(decision.reservation_op_id).Finish();
  return im.Operation(decision.op_id, "confirm", digest, [&]() -> Result<Receipt> {
    auto hold = im.ledger->FindHold(decision.reservation_op_id);
    if (!hold.ok()) return hold.status();
    if (!*hold) {
      return Status(StatusCode::kNotFound, "reservation_op_id: no reservation '" +
                                               decision.reservation_op_id + "'");
    }
    if ((*hold)->state != "open") {
      return Status(StatusCode::kAlreadyReversed,
                    "reservation '" + decision.reservation_op_id + "' was already " +
                        (*hold)->state);
    }
    auto payload = terminal::HoldFromJson((*hold)->payload);
    if (!payload.ok()) return payload.status();
    const std::string& account_id = (*hold)->account_id;
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    Receipt r;
    if (Status s = im.EarnSide(decision.reservation_op_id, payload->first, account_id, *book,
                               payload->second, now, r);
        !s.ok()) {
      return s;
    }
    if (Status s = im.ledger->SetHoldState(decision.reservation_op_id, "confirmed"); !s.ok()) {
      return s;
    }
    if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
    auto masked = im.ledger->MaskedCardOf(account_id);
    if (!masked.ok()) return masked.status();
    auto view = im.View(account_id, *book, *masked, false, now);
    if (!view.ok()) return view.status();
    r.account_id = account_id;
    r.card_masked = *masked;
    r.redeemed = payload->second.points_to_spend;
    r.discount_minor = payload->second.discount_minor;
    r.after = std::move(*view);
    return r;
  });
}

Result<Receipt> Terminal::ReleaseReservation(const ReservationDecision& decision) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(decision); !s.ok()) return s;
  const std::string digest = terminal::RequestDigest().Add(decision.reservation_op_id).Finish();
  return im.Operation(decision.op_id, "release", digest, [&]() -> Result<Receipt> {
    auto hold = im.ledger->FindHold(decision.reservation_op_id);
    if (!hold.ok()) return hold.status();
    if (!*hold) {
      return Status(StatusCode::kNotFound, "reservation_op_id: no reservation '" +
                                               decision.reservation_op_id + "'");
    }
    if ((*hold)->state != "open") {
      return Status(StatusCode::kAlreadyReversed,
                    "reservation '" + decision.reservation_op_id + "' was already " +
                        (*hold)->state);
    }
    const std::string& account_id = (*hold)->account_id;
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    Receipt r;
    if (Status s = im.ReleaseHold(**hold, decision.op_id, *book, now, r); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
    auto masked = im.ledger->MaskedCardOf(account_id);
    if (!masked.ok()) return masked.status();
    auto view = im.View(account_id, *book, *masked, false, now);
    if (!view.ok()) return view.status();
    r.account_id = account_id;
    r.card_masked = *masked;
    r.after = std::move(*view);
    return r;
  });
}

}  // namespace loyalty
