// The sale: a basket quoted without writing, and a checkout committed.
// A sale has two halves: what it spends (points, rewards, stamps) and what
// it earns (points per line, bonuses, stamps). A plain sale does both at
// once; a reservation does the first, and its confirmation the second.
#include <mutex>

#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<Quote> Terminal::QuoteBasket(const CardId& card, const Basket& basket,
                                    const std::vector<std::string>& rewards,
                                    const std::vector<std::string>& coupons) const {
  Impl& im = *impl_;
  if (Status s = terminal::CheckBasket(basket); !s.ok()) return s;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/true);
  if (!row.ok()) return row.status();
  auto book = im.ledger->LoadBook(row->account_id);
  if (!book.ok()) return book.status();
  const std::int64_t now = im.NowMs();
  auto context = im.ContextFor(row->account_id, *book, now);
  if (!context.ok()) return context.status();
  auto resolved = im.ResolveCoupons(coupons, row->account_id, now);
  if (!resolved.ok()) return resolved.status();
  std::vector<std::string> coupon_ids;
  for (const auto& [code, id] : *resolved) coupon_ids.push_back(id);
  return engine::Evaluate(im.program, basket, *context, rewards, 0, coupon_ids,
                          engine::OnRefusedReward::kList);
}

Status Terminal::Impl::CheckCheckout(const Checkout& checkout) {
  if (Status s = terminal::CheckRequest(checkout); !s.ok()) return s;
  if (checkout.redeem_points < 0) {
    return Status(StatusCode::kAmountNegative,
                  "redeem_points: " + std::to_string(checkout.redeem_points) +
                      " is negative");
  }
  for (size_t i = 0; i < checkout.rewards.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (checkout.rewards[k] == checkout.rewards[i]) {
        return Status(StatusCode::kInvalidArgument,
                      "rewards[" + std::to_string(i) + "]: '" + checkout.rewards[i] +
                          "' is listed twice");
      }
    }
  }
  return Status::Ok();
}

Result<Receipt> Terminal::Impl::Sell(const Checkout& checkout) {
  auto card = FindCard(checkout.card, /*refuse_blocked=*/true);
  if (!card.ok()) return card.status();
  auto book = ledger->LoadBook(card->account_id);
  if (!book.ok()) return book.status();
  const std::int64_t now = NowMs();
  if (Status s = ReleaseExpiredHolds(card->account_id, *book, now); !s.ok()) return s;
  auto quote = QuoteForSale(checkout, card->account_id, *book, now);
  if (!quote.ok()) return quote.status();
  Receipt r;
  if (Status s = SpendSide(checkout, card->account_id, *book, *quote, now, r); !s.ok()) {
    return s;
  }
  if (Status s = EarnSide(checkout.op_id, checkout.basket, card->account_id, *book, *quote,
                          now, r);
      !s.ok()) {
    return s;
  }
  if (Status s = ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
  auto view = View(card->account_id, *book, card->masked, false, now);
  if (!view.ok()) return view.status();
  r.account_id = card->account_id;
  r.card_masked = card->masked;
  r.after = std::move(*view);
  return r;
}

Result<Receipt> Terminal::Commit(const Checkout& checkout) {
  Impl& im = *impl_;
  if (Status s = Impl::CheckCheckout(checkout); !s.ok()) return s;
  return im.Operation(checkout.op_id, "sale", im.CheckoutDigest(checkout),
                      [&]() -> Result<Receipt> { return im.Sell(checkout); },
                      checkout.cashier_id, Impl::OlderCheckoutDigests(checkout));
}

namespace {

// The fields of a checkout's digest in the order they were added to it;
// each library wrote them up to the last one it knew.
terminal::RequestDigest BasketDigest(const Checkout& checkout) {
  terminal::RequestDigest digest;
  digest.Add(checkout.card.value()).Add(checkout.basket.currency)
      .Add(checkout.redeem_points).Add(static_cast<std::int64_t>(checkout.basket.lines.size()));
  for (const BasketLine& line : checkout.basket.lines) {
    digest.Add(line.sku).Add(line.category).Add(line.quantity).Add(line.amount_minor)
        .Add(static_cast<std::int64_t>(line.voided));
  }
  return digest;
}

void AddRewards(terminal::RequestDigest& digest, const Checkout& checkout) {
  digest.Add(static_cast<std::int64_t>(checkout.rewards.size()));
  for (const std::string& reward : checkout.rewards) digest.Add(reward);
}

void AddCoupons(terminal::RequestDigest& digest, const Checkout& checkout) {
  digest.Add(static_cast<std::int64_t>(checkout.coupons.size()));
  for (const std::string& code : checkout.coupons) digest.Add(code);
}

}  // namespace

std::string Terminal::Impl::CheckoutDigest(const Checkout& checkout) {
  terminal::RequestDigest digest = BasketDigest(checkout);
  AddRewards(digest, checkout);
  AddCoupons(digest, checkout);
  digest.Add(static_cast<std::int64_t>(checkout.gift_cards.size()));
  for (const GiftCardTender& t : checkout.gift_cards) {
    digest.Add(t.gift_card.value()).Add(t.amount_minor);
  }
  digest.Add(checkout.wallet_minor);
  return digest.Finish();
}

std::vector<std::string> Terminal::Impl::OlderCheckoutDigests(const Checkout& checkout) {
  std::vector<std::string> older;
  if (!checkout.gift_cards.empty() || checkout.wallet_minor != 0) return older;
  terminal::RequestDigest digest = BasketDigest(checkout);
  if (checkout.rewards.empty() && checkout.coupons.empty()) {
    older.push_back(digest.Finish());  // schema 2: the basket alone
  }
  AddRewards(digest, checkout);
  if (checkout.coupons.empty()) older.push_back(digest.Finish());  // schemas 3 to 7
  AddCoupons(digest, checkout);
  older.push_back(digest.Finish());  // schema 8
  return older;
}

Result<std::vector<std::pair<std::string, std::string>>> Terminal::Impl::ResolveCoupons(
    const std::vector<std::string>& codes, const std::string& account_id,
    std::int64_t now) const {
  std::vector<std::pair<std::string, std::string>> resolved;
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string where = "coupons[" + std::to_string(i) + "]: '" + codes[i] + "' ";
    for (const auto& [code, id] : resolved) {
      if (code == codes[i]) return Status(StatusCode::kInvalidArgument, where + "is listed twice");
    }
    if (const engine::Reward* coupon = program.FindCouponByCode(codes[i])) {
      resolved.emplace_back(codes[i], coupon->id);
      continue;
    }
    auto issued = ledger->FindCoupon(codes[i]);
    if (!issued.ok()) return issued.status();
    if (!*issued || program.FindCoupon((*issued)->coupon_id) == nullptr) {
      return Status(StatusCode::kInvalidArgument, where + "is not a coupon code of this program");
    }
    if (!(*issued)->account_id.empty() && (*issued)->account_id != account_id) {
      return Status(StatusCode::kInvalidArgument, where + "was issued to another card");
    }
    if ((*issued)->uses_left && *(*issued)->uses_left <= 0) {
      return Status(StatusCode::kInvalidArgument, where + "was already used");
    }
    if ((*issued)->expires_at && *(*issued)->expires_at <= now) {
      return Status(StatusCode::kInvalidArgument, where + "has expired");
    }
    resolved.emplace_back(codes[i], (*issued)->coupon_id);
  }
  return resolved;
}

Result<Quote> Terminal::Impl::QuoteForSale(const Checkout& checkout,
                                           const std::string& account_id,
                                           const ledger::Book& book, std::int64_t now) const {
  // Evaluated on the state this transaction sees: a reward out of stock or
  // points spent elsewhere since the quote fail cleanly.
  auto context = ContextFor(account_id, book, now);
  if (!context.ok()) return context.status();
  auto coupons = ResolveCoupons(checkout.coupons, account_id, now);
  if (!coupons.ok()) return coupons.status();
  std::vector<std::string> coupon_ids;
  for (const auto& [code, id] : *coupons) coupon_ids.push_back(id);
  auto quote = engine::Evaluate(program, checkout.basket, *context, checkout.rewards,
                                checkout.redeem_points, coupon_ids);
  if (!quote.ok() && quote.status().code() == StatusCode::kInsufficientPoints) {
    return Status(quote.status().code(),
                  "card " + checkout.card.Masked() + ": " + quote.status().message());
  }
  return quote;
}

Status Terminal::Impl::SpendSide(const Checkout& checkout, const std::string& account_id,
                                 ledger::Book& book, const Quote& quote, std::int64_t now,
                                 Receipt& r) {
  if (quote.points_to_spend > 0) {
    EntryRecord spend = NewEntry(checkout.op_id, EntryKind::kRedeem, account_id, now);
    spend.points = -quote.points_to_spend;
    spend.amount_minor = quote.basket_minor;
    std::string note;
    for (const std::string& reward : checkout.rewards) {
      note += (note.empty() ? "reward " : ", ") + reward;
    }
    if (checkout.redeem_points > 0) {
      note += (note.empty() ? "" : "; ") + std::to_string(checkout.redeem_points) +
              " points as tender";
    }
    spend.note = note;
    if (Status s = Post(book, spend); !s.ok()) {
      if (s.code() == StatusCode::kInsufficientPoints) {
        return {s.code(), "card " + checkout.card.Masked() + ": " + s.message()};
      }
      return s;
    }
    r.redeemed = quote.points_to_spend;
    r.entry_seqs.push_back(spend.seq);
  }
  std::int64_t reward_items = 0;  // rows of reward_lines written for this sale
  for (const std::string& reward_id : checkout.rewards) {
    const engine::Reward* reward = program.FindReward(reward_id);
    std::string code;
    if (reward->kind == engine::RewardKind::kVoucher) {
      code = ids->NewId().substr(0, 16);
      r.vouchers.push_back(code);
    }
    if (Status s = ledger->InsertRewardUse(checkout.op_id, reward_id, account_id,
                                           reward->cost, code, now);
        !s.ok()) {
      return s;
    }
    // A reward bound to lines comes back only with the lines it discounted.
    for (const AppliedReward& applied : quote.applied) {
      if (applied.reward_id != reward_id || !applied.line_bound) continue;
      for (size_t i = 0; i < applied.line_discounts.size(); ++i) {
        if (applied.line_discounts[i] <= 0) continue;
        if (Status s = ledger->InsertRewardLine(checkout.op_id, reward_items++, reward_id,
                                                static_cast<std::int64_t>(i),
                                                applied.line_discounts[i]);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  auto coupons = ResolveCoupons(checkout.coupons, account_id, now);
  if (!coupons.ok()) return coupons.status();
  for (const auto& [code, coupon_id] : *coupons) {
    if (Status s = ledger->UseCoupon(checkout.op_id, code, coupon_id, account_id); !s.ok()) {
      return s;
    }
  }
  for (const StampProgress& stamps : quote.stamps) {
    if (stamps.spent <= 0) continue;
    EntryRecord e = NewEntry(checkout.op_id, EntryKind::kStamp, account_id, now);
    e.units = -stamps.spent;
    e.ref = stamps.card;
    e.note = "stamps for " + stamps.reward;
    if (Status s = Post(book, e); !s.ok()) return s;
    r.entry_seqs.push_back(e.seq);
  }
  r.discount_minor = quote.discount_minor;
  return PayWithStoredValue(checkout, account_id, quote, now, r);
}

Status Terminal::Impl::EarnSide(const std::string& sale_op_id, const Basket& basket,
                                const std::string& account_id, ledger::Book& book,
                                const Quote& quote, std::int64_t now, Receipt& r) {
  EntryRecord earn = NewEntry(sale_op_id, EntryKind::kEarn, account_id, now);
  earn.points = quote.points_to_earn;
  // What the customer paid: the base for proportional refunds.
  earn.amount_minor = quote.basket_minor - quote.discount_minor;
  SetCreditDates(earn);
  for (const QuoteLine& line : quote.lines) {
    if (line.points > 0) earn.note += (earn.note.empty() ? "" : "; ") + line.explanation;
  }
  if (Status s = Post(book, earn); !s.ok()) return s;
  for (size_t i = 0; i < basket.lines.size(); ++i) {
    const BasketLine& l = basket.lines[i];
    ledger::SaleLine line{static_cast<std::int64_t>(i), l.sku, l.category,
                          l.voided ? 0 : l.quantity, l.voided ? 0 : l.amount_minor,
                          quote.line_discounts[i], quote.line_points[i], 0,
                          quote.line_stamps[i]};
    if (Status s = ledger->InsertSaleLine(sale_op_id, line); !s.ok()) return s;
  }
  r.earned += quote.points_to_earn;
  r.entry_seqs.push_back(earn.seq);
  if (Status s = PayBonuses(sale_op_id, account_id, book, now, r); !s.ok()) return s;
  for (const StampProgress& stamps : quote.stamps) {
    if (stamps.collected > 0) {
      EntryRecord e = NewEntry(sale_op_id, EntryKind::kStamp, account_id, now);
      e.units = stamps.collected;
      e.ref = stamps.card;
      e.note = "stamps collected";
      if (Status s = Post(book, e); !s.ok()) return s;
      r.entry_seqs.push_back(e.seq);
    }
    if (stamps.spent > 0 || stamps.collected > 0) r.stamps.push_back(stamps);
  }
  for (const std::string& coupon_id : quote.coupons_to_issue) {
    const engine::Reward* coupon = program.FindCoupon(coupon_id);
    ledger::IssuedCoupon issued{ids->NewId().substr(0, 12), coupon_id, account_id, 1,
                                now + std::int64_t{coupon->valid_days} * terminal::kDayMs,
                                sale_op_id};
    if (Status s = ledger->InsertCoupon(issued); !s.ok()) return s;
    r.coupons_issued.push_back(issued.code);
  }
  r.line_points = quote.line_points;
  r.explanations.insert(r.explanations.begin(), quote.lines.begin(), quote.lines.end());
  return Status::Ok();
}

}  // namespace loyalty
