// What a card holds, read without writing: the card view, the balance the
// screen refreshes, a card presented at the reader, the history.
#include "loyalty/terminal.hpp"

#include <mutex>

#include "engine/card_rules.hpp"
#include "terminal/terminal_impl.hpp"

namespace loyalty {

Result<CardView> Terminal::Lookup(const CardId& card) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/false);
  if (!row.ok()) return row.status();
  auto book = im.ledger->LoadBook(row->account_id);
  if (!book.ok()) return book.status();
  return im.View(row->account_id, *book, row->masked, row->blocked, im.NowMs());
}

Result<PointsBalance> Terminal::Balance(const CardId& card) const {
  Impl& im = *impl_;
  if (card.empty()) return Status(StatusCode::kInvalidArgument, "card: is empty");
  std::lock_guard<std::mutex> guard(im.mutex);
  const std::int64_t now = im.NowMs();
  // One read: the screen refreshes this often.
  auto points = im.ledger->PointsOfCard(im.CardHash(card), now);
  if (!points.ok()) return points.status();
  if (!*points) {
    auto unknown = im.FindCard(card, /*refuse_blocked=*/false);
    return unknown.ok() ? Status(StatusCode::kInternal, "card vanished") : unknown.status();
  }
  const ledger::Ledger::CardPoints& p = **points;
  PointsBalance b;
  b.account_id = p.account_id;
  // As Book::Available: usable lots less debt; expired holds come back.
  b.available = p.usable - p.debt + p.held_expired;
  b.pending = p.pending;
  b.balance = p.balance;
  b.held = p.held;
  b.blocked = p.blocked;
  if (im.chain) {
    // The server's share of the balance, and the chain's hotlist.
    auto remote = im.chain->RemotePoints(p.account_id);
    if (!remote.ok()) return remote.status();
    b.available += *remote;
    b.balance += *remote;
    if (!b.blocked) {
      auto listed = im.chain->CardHotlisted(im.CardHash(card));
      if (!listed.ok()) return listed.status();
      b.blocked = *listed;
    }
  }
  return b;
}

Result<CardView> Terminal::Identify(const CardRead& read) const {
  if (!read.status.ok()) return read.status;
  auto view = Lookup(read.card);
  if (view.ok() || view.status().code() != StatusCode::kUnknownCard) return view;
  // A bank card or another scheme's card at the loyalty reader: tell the
  // cashier what it is rather than "unknown".
  Status format = Status::Ok();
  {
    std::lock_guard<std::mutex> guard(impl_->mutex);
    format = engine::CheckCardNumber(impl_->program.cards, read.card);
  }
  if (!format.ok()) return format;
  return view;
}

Result<std::vector<HistoryEntry>> Terminal::History(const CardId& card, int limit) const {
  Impl& im = *impl_;
  if (limit <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  "limit: " + std::to_string(limit) + " must be > 0");
  }
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/false);
  if (!row.ok()) return row.status();
  return im.ledger->History(row->account_id, limit);
}

}  // namespace loyalty
