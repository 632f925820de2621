// Gift cards and the e-wallet: money, not points, spent as a tender.
#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

namespace {

Status CheckAmount(std::int64_t amount) {
  if (amount <= 0) {
    return {amount < 0 ? StatusCode::kAmountNegative : StatusCode::kInvalidArgument,
            "amount_minor: " + std::to_string(amount) + " must be > 0"};
  }
  return Status::Ok();
}

}  // namespace

Status Terminal::Impl::MoveStoredValue(const std::string& op_id, const std::string& account_id,
                                       const std::string& ref, std::int64_t units,
                                       std::optional<std::int64_t> reverses,
                                       const std::string& note, std::int64_t now, Receipt& r) {
  // Money moves no points: a scratch book satisfies the entry's bookkeeping.
  ledger::Book scratch(0, 0);
  EntryRecord e = NewEntry(op_id, EntryKind::kStoredValue, account_id, now);
  e.units = units;
  e.ref = ref;
  e.reverses_seq = reverses;
  e.note = note;
  if (Status s = Post(scratch, e); !s.ok()) return s;
  r.stored_value_minor += units;
  r.entry_seqs.push_back(e.seq);
  return Status::Ok();
}

Status Terminal::Impl::PayWithStoredValue(const Checkout& checkout,
                                          const std::string& account_id, const Quote& quote,
                                          std::int64_t now, Receipt& r) {
  std::int64_t tendered = 0;
  for (size_t i = 0; i < checkout.gift_cards.size(); ++i) {
    const GiftCardTender& tender = checkout.gift_cards[i];
    const std::string where = "gift_cards[" + std::to_string(i) + "]";
    if (Status s = CheckAmount(tender.amount_minor); !s.ok()) {
      return {s.code(), where + "." + s.message()};
    }
    auto gift = ledger->FindGiftCard(CardHash(tender.gift_card));
    if (!gift.ok()) return gift.status();
    if (!*gift) {
      return {StatusCode::kUnknownCard,
              where + ": gift card " + tender.gift_card.Masked() +
                  " is not known here (never loaded, or not synced yet)"};
    }
    auto balance = StoredValueNow(**gift, ledger::kGiftCardRef);
    if (!balance.ok()) return balance.status();
    if (*balance < tender.amount_minor) {
      return {StatusCode::kInsufficientFunds,
              where + ": gift card " + tender.gift_card.Masked() + " holds " +
                  Money(*balance, program.currency).ToString() + ", " +
                  Money(tender.amount_minor, program.currency).ToString() + " asked"};
    }
    tendered += tender.amount_minor;
    if (Status s = MoveStoredValue(checkout.op_id, **gift, ledger::kGiftCardRef,
                                   -tender.amount_minor, std::nullopt,
                                   "paid sale " + checkout.op_id, now, r);
        !s.ok()) {
      return s;
    }
  }
  if (checkout.wallet_minor < 0) {
    return {StatusCode::kAmountNegative,
            "wallet_minor: " + std::to_string(checkout.wallet_minor) + " is negative"};
  }
  if (checkout.wallet_minor > 0) {
    auto balance = StoredValueNow(account_id, ledger::kWalletRef);
    if (!balance.ok()) return balance.status();
    if (*balance < checkout.wallet_minor) {
      return {StatusCode::kInsufficientFunds,
              "wallet_minor: the wallet holds " +
                  Money(*balance, program.currency).ToString() + ", " +
                  Money(checkout.wallet_minor, program.currency).ToString() + " asked"};
    }
    tendered += checkout.wallet_minor;
    if (Status s = MoveStoredValue(checkout.op_id, account_id, ledger::kWalletRef,
                                   -checkout.wallet_minor, std::nullopt,
                                   "paid sale " + checkout.op_id, now, r);
        !s.ok()) {
      return s;
    }
  }
  const std::int64_t to_pay = quote.basket_minor - quote.discount_minor;
  if (tendered > to_pay) {
    return {StatusCode::kInvalidArgument,
            "gift_cards, wallet_minor: " + Money(tendered, program.currency).ToString() +
                " tendered but only " + Money(to_pay, program.currency).ToString() +
                " is left to pay"};
  }
  return Status::Ok();
}

Result<Receipt> Terminal::LoadGiftCard(const StoredValueLoad& load) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(load); !s.ok()) return s;
  if (Status s = CheckAmount(load.amount_minor); !s.ok()) return s;
  if (load.card.empty()) return Status(StatusCode::kInvalidArgument, "card: is empty");
  const std::string digest =
      terminal::RequestDigest().Add(load.card.value()).Add(load.amount_minor).Finish();
  return im.Operation(load.op_id, terminal::kGiftLoadKind, digest, [&]() -> Result<Receipt> {
    const std::string hash = im.CardHash(load.card);
    auto gift = im.ledger->FindGiftCard(hash);
    if (!gift.ok()) return gift.status();
    const std::int64_t now = im.NowMs();
    std::string account_id;
    if (*gift) {
      account_id = **gift;
    } else {
      account_id = "GIFT-" + im.ids->NewId();
      ledger::AccountRow row{account_id, "gift card " + load.card.Masked(), now, 0, 0, "", ""};
      if (Status s = im.ledger->InsertAccount(row); !s.ok()) return s;
      if (Status s = im.ledger->InsertGiftCard(hash, account_id, load.card.Masked()); !s.ok()) {
        return s;
      }
    }
    Receipt r;
    if (Status s = im.MoveStoredValue(load.op_id, account_id, ledger::kGiftCardRef,
                                      load.amount_minor, std::nullopt, "gift card loaded", now,
                                      r);
        !s.ok()) {
      return s;
    }
    r.account_id = account_id;
    r.card_masked = load.card.Masked();
    return r;
  });
}

Result<std::int64_t> Terminal::GiftCardBalance(const CardId& gift_card) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto gift = im.ledger->FindGiftCard(im.CardHash(gift_card));
  if (!gift.ok()) return gift.status();
  if (!*gift) {
    return Status(StatusCode::kUnknownCard,
                  "gift card " + gift_card.Masked() +
                      " is not known here (never loaded, or not synced yet)");
  }
  return im.StoredValueNow(**gift, ledger::kGiftCardRef);
}

Result<Receipt> Terminal::TopUpWallet(const StoredValueLoad& load) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(load); !s.ok()) return s;
  if (Status s = CheckAmount(load.amount_minor); !s.ok()) return s;
  const std::string digest =
      terminal::RequestDigest().Add(load.card.value()).Add(load.amount_minor).Finish();
  return im.Operation(load.op_id, terminal::kWalletLoadKind, digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(load.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    const std::int64_t now = im.NowMs();
    Receipt r;
    if (Status s = im.MoveStoredValue(load.op_id, card->account_id, ledger::kWalletRef,
                                      load.amount_minor, std::nullopt, "wallet topped up", now,
                                      r);
        !s.ok()) {
      return s;
    }
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.after = std::move(*view);
    return r;
  });
}

}  // namespace loyalty
