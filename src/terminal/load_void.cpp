// Taking back a gift-card load or wallet top-up: only the money of it that
// is still on the card.
#include <algorithm>

#include "terminal/request_checks.hpp"
#include "terminal/terminal_impl.hpp"

namespace loyalty {

using ledger::EntryRecord;

bool Terminal::Impl::IsLoadKind(const std::string& operation_kind) {
  return operation_kind == terminal::kGiftLoadKind || operation_kind == terminal::kWalletLoadKind;
}

Result<Receipt> Terminal::VoidLoad(const LoadVoid& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "operator_id: is required to take back a load");
  }
  if (request.amount_minor && *request.amount_minor <= 0) {
    return Status(*request.amount_minor < 0 ? StatusCode::kAmountNegative
                                            : StatusCode::kInvalidArgument,
                  "amount_minor: " + std::to_string(*request.amount_minor) + " must be > 0");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.load_op_id)
                                 .Add(request.amount_minor.value_or(-1))
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "load_void", digest, [&]() -> Result<Receipt> {
    const std::string& target = request.load_op_id;
    auto stored = im.ledger->FindOperation(target);
    if (!stored.ok()) return stored.status();
    if (!*stored) {
      return Status(StatusCode::kNotFound,
                    "load_op_id: no operation '" + target +
                        "' in this ledger (a load is taken back at the till that made it)");
    }
    if (!Impl::IsLoadKind((*stored)->kind)) {
      return Status(StatusCode::kInvalidArgument,
                    "load_op_id: '" + target + "' is a " + (*stored)->kind +
                        ", not a gift-card load or wallet top-up (use Void or Refund)");
    }
    auto loaded = terminal::ReceiptFromJson((*stored)->receipt_json);
    if (!loaded.ok()) return loaded.status();
    auto entries = im.ledger->EntriesOfOperation(target);
    if (!entries.ok()) return entries.status();
    auto load = std::find_if(entries->begin(), entries->end(), [](const EntryRecord& e) {
      return e.kind == EntryKind::kStoredValue && e.units && *e.units > 0 && e.ref &&
             !e.reverses_seq;
    });
    if (load == entries->end()) {
      return Status(StatusCode::kInternal, "load '" + target + "' has no stored_value entry");
    }
    auto reversals = im.ledger->ReversalsOf(load->seq);
    if (!reversals.ok()) return reversals.status();
    std::int64_t left = *load->units;  // not taken back yet
    for (const EntryRecord& v : *reversals) left += v.units.value_or(0);
    const std::string& ref = *load->ref;
    const std::string what = ref == ledger::kGiftCardRef
                                 ? "gift card " + loaded->card_masked
                                 : "the wallet of card " + loaded->card_masked;
    auto money = [&](std::int64_t minor) { return Money(minor, im.program.currency).ToString(); };
    if (left <= 0) {
      return Status(StatusCode::kAlreadyReversed,
                    "load '" + target + "' of " + money(*load->units) + " on " + what +
                        " was already taken back in full");
    }
    const std::int64_t amount = request.amount_minor.value_or(left);
    if (amount > left) {
      return Status(StatusCode::kInvalidArgument,
                    "amount_minor: " + money(amount) + " is more than the " + money(left) +
                        " load '" + target + "' has left to take back");
    }
    // First in, first out: the card's money beyond the later loads is the
    // part of this load that is not spent.
    auto holds = im.StoredValueNow(load->account_id, ref);
    if (!holds.ok()) return holds.status();
    auto later = im.ledger->LoadedAfter(load->account_id, ref, load->seq);
    if (!later.ok()) return later.status();
    const std::int64_t unspent = std::clamp<std::int64_t>(*holds - *later, 0, left);
    if (amount > unspent) {
      return Status(StatusCode::kInsufficientFunds,
                    what + ": " + money(left - unspent) + " of load '" + target + "' (" +
                        money(*load->units) + ") is spent; " + money(unspent) +
                        " is left to take back");
    }
    const std::int64_t now = im.NowMs();
    Receipt r;
    const std::string note = std::string(request.amount_minor ? "refund" : "void") +
                             " of load " + target + ": " + request.operator_id +
                             (request.reason.empty() ? "" : ": " + request.reason);
    if (Status s = im.MoveStoredValue(request.op_id, load->account_id, ref, -amount,
                                      load->seq, note, now, r);
        !s.ok()) {
      return s;
    }
    r.account_id = load->account_id;
    r.card_masked = loaded->card_masked;
    if (ref == ledger::kWalletRef) {
      auto book = im.ledger->LoadBook(load->account_id);
      if (!book.ok()) return book.status();
      auto view = im.View(load->account_id, *book, loaded->card_masked, false, now);
      if (!view.ok()) return view.status();
      r.after = std::move(*view);
    }
    return r;
  }, request.cashier_id);
}

}  // namespace loyalty
