// Returns and voids: a sale refunded in part or in full (by amount or by
// the lines returned), an operation voided; its points, bonuses, stamps and
// stored-value payments go back with it.
#include "loyalty/terminal.hpp"

#include <algorithm>
#include <optional>

#include "common/checked.hpp"
#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;
using ledger::LotMove;

Result<Receipt> Terminal::Impl::Reverse(const std::string& op_id,
                                        const std::string& target_op_id,
                                        std::optional<std::int64_t> amount,
                                        const std::vector<ReturnLine>& lines,
                                        bool is_void, const std::string& note) {
  auto all_entries = ledger->EntriesOfOperation(target_op_id);
  if (!all_entries.ok()) return all_entries.status();
  // What the operation did itself: an exchange's return half and expiry
  // written by a return reverse or expire other operations' entries.
  std::vector<EntryRecord> own_entries;
  for (const EntryRecord& e : *all_entries) {
    if (!e.reverses_seq && e.kind != EntryKind::kExpire) own_entries.push_back(e);
  }
  const std::vector<EntryRecord>* entries = &own_entries;
  const EntryRecord* earn = nullptr;
  const EntryRecord* debit = nullptr;   // a redeem or a downward adjustment
  const EntryRecord* credit = nullptr;  // an upward adjustment
  for (const EntryRecord& e : *entries) {
    if (e.kind == EntryKind::kEarn && !e.ref) earn = &e;
    if (e.kind == EntryKind::kRedeem) debit = &e;
    if (e.kind == EntryKind::kAdjust) (e.points < 0 ? debit : credit) = &e;
  }
  const char* what = is_void ? "void" : "refund";
  if (all_entries->empty()) {
    return Status(StatusCode::kNotFound,
                  std::string(is_void ? "target_op_id" : "sale_op_id") + ": no operation '" +
                      target_op_id + "' in this ledger");
  }
  auto target_op = ledger->FindOperation(target_op_id);
  if (!target_op.ok()) return target_op.status();
  if (*target_op && IsLoadKind((*target_op)->kind)) {
    return Status(StatusCode::kInvalidArgument,
                  std::string(is_void ? "target_op_id" : "sale_op_id") + ": '" + target_op_id +
                      "' is a " + (*target_op)->kind +
                      ": its money is taken back with VoidLoad (loyalty_void_load), which "
                      "refuses what is already spent");
  }
  if (!is_void && earn == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "sale_op_id: '" + target_op_id + "' is not a sale");
  }
  if (earn == nullptr && debit == nullptr && credit == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "target_op_id: '" + target_op_id + "' is a " +
                      EntryKindName(all_entries->front().kind) +
                      ", which cannot be voided");
  }
  // The customer of the operation: its earn's or redemption's account. The
  // first entry may be the gift card the sale was paid with.
  const EntryRecord* anchor = earn != nullptr     ? earn
                              : debit != nullptr  ? debit
                                                  : credit;
  const std::string account_id = anchor->account_id;
  const std::int64_t now = NowMs();

  // How much of the target is reversed already, per entry.
  auto reversed_of = [&](const EntryRecord* e, std::int64_t& amount_done,
                         Points& points_done) -> Status {
    amount_done = 0;
    points_done = 0;
    if (e == nullptr) return Status::Ok();
    auto reversals = ledger->ReversalsOf(e->seq);
    if (!reversals.ok()) return reversals.status();
    for (const EntryRecord& r : *reversals) {
      amount_done += r.amount_minor;
      points_done += r.points;
    }
    return Status::Ok();
  };

  const EntryRecord* credited = earn ? earn : credit;
  std::vector<std::int64_t> also;
  if (credited) also.push_back(credited->seq);
  std::vector<LotMove> outstanding;
  if (debit) {
    auto owed = ledger->Outstanding(debit->seq);
    if (!owed.ok()) return owed.status();
    outstanding = std::move(*owed);
    for (const LotMove& m : outstanding) also.push_back(m.lot_id);
  }
  auto book = ledger->LoadBook(account_id, also);
  if (!book.ok()) return book.status();
  Receipt r;
  // What the daily expiry run would take now goes first, by entry: the
  // return then never takes points that are gone on their own, and ends
  // the same whether the run came before it or comes after.
  if (Status s = ExpireDue(op_id, account_id, *book, now, r); !s.ok()) return s;
  // Points of a credit still there to take back: what it credited, less
  // what earlier reversals took and what expiry took out of its lot.
  auto still_owed = [&](const EntryRecord& c, Points reversed) -> Result<Points> {
    auto expired = ledger->ExpiredFromLot(c.account_id, c.seq);
    if (!expired.ok()) return expired.status();
    return std::max<Points>(0, c.points + reversed - *expired);
  };

  Points take_back = 0;   // credited points to reverse now (positive)
  bool sale_settled = false;  // nothing of the sale is left after this
  std::vector<ledger::SaleLine> sold_lines;  // after this return, for stamps
  std::int64_t sale_total = 0;
  std::int64_t sale_done_after = 0;
  Points give_back = 0;   // debited points to return now (positive)
  std::int64_t refund_amount = 0;
  if (earn != nullptr) {
    std::int64_t amount_done = 0;
    Points earn_done = 0;
    if (Status s = reversed_of(earn, amount_done, earn_done); !s.ok()) return s;
    auto earn_reversals = ledger->ReversalsOf(earn->seq);
    if (!earn_reversals.ok()) return earn_reversals.status();
    auto sold = ledger->SaleLines(target_op_id);
    if (!sold.ok()) return sold.status();
    const std::int64_t total = earn->amount_minor;
    const std::int64_t left = total - amount_done;
    std::int64_t units_left = 0;
    bool paid_units_left = false;
    bool lines_returned = false;
    for (const ledger::SaleLine& line : *sold) {
      units_left += line.quantity - line.returned_qty;
      paid_units_left |= line.returned_qty < line.quantity &&
                         line.amount_minor - line.discount_minor > 0;
      lines_returned |= line.returned_qty > 0;
    }
    // Settled: its money is back and so are its goods. A sale settled by
    // an amount before schema 12 has its lines unmarked: its money says it.
    const bool reversed_before = !earn_reversals->empty();
    const bool nothing_left =
        reversed_before &&
        (units_left == 0 ? true
                         : left <= 0 && (paid_units_left || !lines_returned));
    if (nothing_left) {
      return Status(StatusCode::kAlreadyReversed,
                    "sale '" + target_op_id + "' was already fully refunded or voided");
    }
    std::int64_t debit_amount_done = 0;
    Points debit_done = 0;
    if (Status s = reversed_of(debit, debit_amount_done, debit_done); !s.ok()) return s;
    Points line_take_back = 0;
    if (!lines.empty()) {
      if (amount) {
        return Status(StatusCode::kInvalidArgument,
                      "amount_minor: give either an amount or the lines returned, not both");
      }
      refund_amount = 0;
      for (size_t i = 0; i < lines.size(); ++i) {
        const ReturnLine& back = lines[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        if (back.line_no < 0 || back.line_no >= static_cast<std::int64_t>(sold->size())) {
          return Status(StatusCode::kInvalidArgument,
                        where + ".line_no: sale '" + target_op_id + "' has no line " +
                            std::to_string(back.line_no));
        }
        ledger::SaleLine& line = (*sold)[static_cast<size_t>(back.line_no)];
        const std::int64_t left_units = line.quantity - line.returned_qty;
        if (back.quantity <= 0 || back.quantity > left_units) {
          return Status(StatusCode::kInvalidArgument,
                        where + ".quantity: " + std::to_string(back.quantity) + " but " +
                            std::to_string(left_units) + " of line " +
                            std::to_string(back.line_no) + " (sku " + line.sku +
                            ") can still be returned");
        }
        // Cumulative per line: the last unit back settles the line exactly.
        const std::int64_t paid = line.amount_minor - line.discount_minor;
        const std::int64_t after = line.returned_qty + back.quantity;
        auto points_after = internal::MulDiv(line.points, after, line.quantity,
                                             internal::Rounding::kUp);
        auto points_before = internal::MulDiv(line.points, line.returned_qty, line.quantity,
                                              internal::Rounding::kUp);
        auto paid_after = internal::MulDiv(paid, after, line.quantity,
                                           internal::Rounding::kDown);
        auto paid_before = internal::MulDiv(paid, line.returned_qty, line.quantity,
                                            internal::Rounding::kDown);
        if (!points_after || !points_before || !paid_after || !paid_before) {
          return Status(StatusCode::kAmountOverflow, where + ": refund share overflows");
        }
        line_take_back += *points_after - *points_before;
        refund_amount += *paid_after - *paid_before;
        units_left -= back.quantity;
        line.returned_qty = after;
        if (Status s = ledger->SetReturnedQuantity(target_op_id, line.line_no, after);
            !s.ok()) {
          return s;
        }
      }
    } else {
      refund_amount = amount.value_or(std::max<std::int64_t>(left, 0));
    }
    if (refund_amount <= 0 && total > 0 && lines.empty() && amount) {
      return Status(refund_amount < 0 ? StatusCode::kAmountNegative
                                      : StatusCode::kInvalidArgument,
                    "amount_minor: " + std::to_string(refund_amount) + " must be > 0");
    }
    if (refund_amount > std::max<std::int64_t>(left, 0)) {
      return Status(StatusCode::kInvalidArgument,
                    "amount_minor: " + std::to_string(refund_amount) + " exceeds the " +
                        std::to_string(left) + " left to refund on sale '" +
                        target_op_id + "'");
    }
    const std::int64_t done_after = amount_done + refund_amount;
    sale_total = total;
    sale_done_after = done_after;
    // By lines, the sale is settled when its last unit is back (a free
    // unit kept keeps the reward that paid for it); by amount, when its
    // last money is.
    sale_settled = done_after >= total && (lines.empty() || units_left == 0);
    if (sale_settled && lines.empty()) {
      if (Status s = ledger->MarkLinesReturned(target_op_id); !s.ok()) return s;
      for (ledger::SaleLine& line : *sold) line.returned_qty = line.quantity;
    }
    // Earned points are taken back rounding up and redeemed points given
    // back rounding down, cumulatively: partial returns never profit the
    // card, and the last return settles the sale exactly.
    auto share = [&](Points of, internal::Rounding rounding) -> std::optional<Points> {
      if (total == 0) return of;
      return internal::MulDiv(of, done_after, total, rounding);
    };
    auto earn_target = share(earn->points, internal::Rounding::kUp);
    // Points spent on rewards bound to lines come back with those lines;
    // the rest (points as tender, order-level rewards) in proportion of the
    // money (docs/program-format.md, "Returns").
    auto bound = ledger->BoundRewards(target_op_id);
    if (!bound.ok()) return bound.status();
    const Points spent = debit ? -debit->points : 0;
    Points bound_spent = 0;
    Points bound_target = 0;
    for (const ledger::BoundReward& reward : *bound) {
      bound_spent += reward.points;
      std::int64_t off = 0;
      std::int64_t off_returned = 0;
      for (const auto& [line_no, discount] : reward.discounts) {
        off += discount;
        if (line_no < 0 || line_no >= static_cast<std::int64_t>(sold->size())) continue;
        const ledger::SaleLine& line = (*sold)[static_cast<size_t>(line_no)];
        if (line.quantity <= 0) continue;
        auto part = internal::MulDiv(discount, line.returned_qty, line.quantity,
                                     internal::Rounding::kDown);
        if (!part) return Status(StatusCode::kAmountOverflow, "reward share overflows");
        off_returned += *part;
      }
      auto back = sale_settled || off <= 0
                      ? std::optional<Points>(reward.points)
                      : internal::MulDiv(reward.points, off_returned, off,
                                         internal::Rounding::kDown);
      if (!back) return Status(StatusCode::kAmountOverflow, "reward share overflows");
      bound_target += *back;
      if (!sale_settled && off > 0 && off_returned >= off) {
        // All its lines are back: the reward counts as not taken.
        if (Status s = ledger->ReverseRewardUse(target_op_id, reward.reward_id); !s.ok()) {
          return s;
        }
      }
    }
    auto order_target = share(std::max<Points>(spent - bound_spent, 0), internal::Rounding::kDown);
    if (!earn_target || !order_target) {
      return Status(StatusCode::kAmountOverflow, "refund share overflows");
    }
    take_back = lines.empty() ? *earn_target + earn_done  // earn_done is negative
                              : std::min(line_take_back, earn->points + earn_done);
    give_back = std::max<Points>(0, *order_target + bound_target - debit_done);
    if (sale_settled) {
      take_back = earn->points + earn_done;  // nothing of the sale stays earned
      give_back = std::max<Points>(0, spent - debit_done);
      if (Status s = ledger->ReverseRewardUses(target_op_id); !s.ok()) return s;
      if (Status s = ledger->ReverseCouponUses(target_op_id); !s.ok()) return s;
      if (Status s = ledger->RevokeCouponsIssuedBy(target_op_id); !s.ok()) return s;
    }
    auto owed = still_owed(*earn, earn_done);
    if (!owed.ok()) return owed.status();
    take_back = std::clamp<Points>(take_back, 0, *owed);
    if (!lines.empty()) sold_lines = std::move(*sold);
  } else {
    const EntryRecord* target = credit != nullptr ? credit : debit;
    auto reversals = ledger->ReversalsOf(target->seq);
    if (!reversals.ok()) return reversals.status();
    if (!reversals->empty()) {
      return Status(StatusCode::kAlreadyReversed,
                    "operation '" + target_op_id + "' was already voided");
    }
    if (credit != nullptr) {
      auto owed = still_owed(*credit, 0);
      if (!owed.ok()) return owed.status();
      take_back = *owed;
    } else {
      give_back = -debit->points;
    }
  }

  if (credited != nullptr) {
    EntryRecord e = NewEntry(op_id, EntryKind::kEarnReversal, account_id, now);
    e.points = -take_back;
    e.amount_minor = refund_amount;
    e.reverses_seq = credited->seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e); !s.ok()) return s;
    r.earned = -take_back;
    r.entry_seqs.push_back(e.seq);
  }
  if (debit != nullptr && give_back > 0) {
    EntryRecord e = NewEntry(op_id, EntryKind::kRedeemReversal, account_id, now);
    e.points = give_back;
    e.amount_minor = refund_amount;
    e.reverses_seq = debit->seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e, outstanding); !s.ok()) return s;
    r.redeemed = -give_back;
    r.entry_seqs.push_back(e.seq);
  }
  // Bonuses the sale triggered (birthday, referral, on whichever account)
  // go back with the whole sale, so buying to return is no way to earn them.
  for (const EntryRecord& bonus : *entries) {
    if (!sale_settled || bonus.kind != EntryKind::kEarn || !bonus.ref) continue;
    auto reversals = ledger->ReversalsOf(bonus.seq);
    if (!reversals.ok()) return reversals.status();
    Points reversed = 0;
    for (const EntryRecord& rev : *reversals) reversed += rev.points;
    auto owed = still_owed(bonus, reversed);
    if (!owed.ok()) return owed.status();
    const Points left = *owed;
    if (left <= 0) continue;
    // A spent bonus lot is simply absent: TakeBack then takes from others.
    const bool own = bonus.account_id == account_id;
    Result<ledger::Book> other = own ? ledger::Book(0, 0) : ledger->LoadBook(bonus.account_id);
    if (!other.ok()) return other.status();
    ledger::Book& target = own ? *book : *other;
    EntryRecord e = NewEntry(op_id, EntryKind::kEarnReversal, bonus.account_id, now);
    e.points = -left;
    e.reverses_seq = bonus.seq;
    e.note = std::string(what) + ": " + bonus.note;
    if (Status s = Post(target, e); !s.ok()) return s;
    if (!own) {
      if (Status s = ledger->SaveBook(bonus.account_id, target, now); !s.ok()) return s;
    }
    if (own) r.earned -= left;
    r.entry_seqs.push_back(e.seq);
  }
  // Money paid from gift cards and the wallet goes back like redeemed
  // points: in proportion, rounding down, and in full with the last return.
  for (const EntryRecord& paid : *entries) {
    if (earn == nullptr || paid.kind != EntryKind::kStoredValue || !paid.units ||
        *paid.units >= 0 || !paid.ref) {
      continue;
    }
    auto reversals = ledger->ReversalsOf(paid.seq);
    if (!reversals.ok()) return reversals.status();
    std::int64_t returned = 0;
    for (const EntryRecord& rev : *reversals) returned += rev.units.value_or(0);
    const std::int64_t spent = -*paid.units;
    std::optional<std::int64_t> target = spent;
    if (!sale_settled) {
      target = sale_total > 0 ? internal::MulDiv(spent, sale_done_after, sale_total,
                                                 internal::Rounding::kDown)
                              : std::optional<std::int64_t>(0);
    }
    if (!target) return Status(StatusCode::kAmountOverflow, "stored value share overflows");
    if (*target - returned <= 0) continue;
    if (Status s = MoveStoredValue(op_id, paid.account_id, *paid.ref, *target - returned,
                                   paid.seq, std::string(what) + " of " + target_op_id, now, r);
        !s.ok()) {
      return s;
    }
  }
  // Stamps follow the points: collected ones go back in proportion (by the
  // units returned of the card's lines, or by amount), spent ones only when
  // the whole sale comes back.
  for (const EntryRecord& stamp : *entries) {
    if (earn == nullptr || stamp.kind != EntryKind::kStamp || !stamp.units || !stamp.ref) {
      continue;
    }
    auto reversals = ledger->ReversalsOf(stamp.seq);
    if (!reversals.ok()) return reversals.status();
    std::int64_t undone = 0;
    for (const EntryRecord& rev : *reversals) undone += rev.units.value_or(0);
    undone = undone < 0 ? -undone : undone;
    const std::int64_t units = *stamp.units;
    const std::int64_t magnitude = units < 0 ? -units : units;
    std::optional<std::int64_t> target = 0;
    if (sale_settled) {
      target = magnitude;
    } else if (units > 0 && !sold_lines.empty()) {
      const engine::StampCard* card = program.FindStampCard(*stamp.ref);
      std::int64_t bought = 0;
      std::int64_t returned = 0;
      for (const ledger::SaleLine& line : sold_lines) {
        if (card && !card->lines.Matches(line.sku, line.category)) continue;
        bought += line.quantity;
        returned += line.returned_qty;
      }
      target = bought > 0 ? internal::MulDiv(magnitude, returned, bought,
                                             internal::Rounding::kUp)
                          : std::optional<std::int64_t>(0);
    } else if (units > 0 && sale_total > 0) {
      target = internal::MulDiv(magnitude, sale_done_after, sale_total,
                                internal::Rounding::kUp);
    }
    if (!target) return Status(StatusCode::kAmountOverflow, "stamp share overflows");
    const std::int64_t now_undo = *target - undone;
    if (now_undo <= 0) continue;
    EntryRecord e = NewEntry(op_id, EntryKind::kStamp, account_id, now);
    e.units = units > 0 ? -now_undo : now_undo;
    e.ref = stamp.ref;
    e.reverses_seq = stamp.seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e); !s.ok()) return s;
    r.entry_seqs.push_back(e.seq);
    StampProgress moved;
    moved.card = *stamp.ref;
    (units > 0 ? moved.collected : moved.spent) = -now_undo;
    r.stamps.push_back(std::move(moved));
  }
  // Points given back to lots already past their date leave again.
  if (Status s = ExpireDue(op_id, account_id, *book, now, r); !s.ok()) return s;
  if (Status s = ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
  auto masked = ledger->MaskedCardOf(account_id);
  if (!masked.ok()) return masked.status();
  auto view = View(account_id, *book, *masked, false, now);
  if (!view.ok()) return view.status();
  r.account_id = account_id;
  r.card_masked = *masked;
  r.after = std::move(*view);
  return r;
}

Result<Receipt> Terminal::Refund(const RefundRequest& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.amount_minor && *request.amount_minor < 0) {
    return Status(StatusCode::kAmountNegative,
                  "amount_minor: " + std::to_string(*request.amount_minor) +
                      " is negative");
  }
  terminal::RequestDigest digest_builder;
  digest_builder.Add(request.sale_op_id).Add(request.amount_minor.value_or(-1));
  for (const ReturnLine& line : request.lines) digest_builder.Add(line.line_no).Add(line.quantity);
  const std::string digest = digest_builder.Finish();
  return im.Operation(request.op_id, "refund", digest, [&]() -> Result<Receipt> {
    return im.Reverse(request.op_id, request.sale_op_id, request.amount_minor,
                      request.lines, /*is_void=*/false, "");
  }, request.cashier_id);
}

Result<Receipt> Terminal::Void(const VoidRequest& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required for a void");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.target_op_id)
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "void", digest, [&]() -> Result<Receipt> {
    return im.Reverse(request.op_id, request.target_op_id, std::nullopt, {},
                      /*is_void=*/true, request.operator_id + ": " + request.reason);
  }, request.cashier_id);
}

}  // namespace loyalty
