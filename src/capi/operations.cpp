// The till's operations: enrol, look up, quote, commit, redeem, refund,
// exchange, void, adjust, block, events, anonymous sales, expiry; gift-card
// loads and wallet top-ups and taking them back.
#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Give;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::ParseCard;
using loyalty::capi::Report;
using loyalty::capi::Text;

namespace {

// Clears *out and checks the handle: LOYALTY_OK to go on.
loyalty_status Begin(loyalty_terminal* terminal, loyalty_result** out) {
  if (out == nullptr) return Missing("out");
  *out = nullptr;
  if (terminal == nullptr) return Missing("terminal");
  return LOYALTY_OK;
}

loyalty::Checkout MakeCheckout(const char* op_id, const loyalty::CardId& card,
                               const loyalty_basket& basket, const char* cashier_id) {
  loyalty::Checkout checkout;
  checkout.op_id = Text(op_id);
  checkout.card = card;
  checkout.basket = basket.basket;
  checkout.redeem_points = basket.redeem_points;
  checkout.rewards = basket.rewards;
  checkout.coupons = basket.coupons;
  checkout.gift_cards = basket.gift_cards;
  checkout.wallet_minor = basket.wallet_minor;
  checkout.cashier_id = Text(cashier_id);
  return checkout;
}

loyalty_status GiveReceipt(const loyalty::Result<loyalty::Receipt>& receipt,
                           loyalty_result** out) {
  if (!receipt.ok()) return Report(receipt.status());
  return Give(loyalty::capi::FromReceipt(*receipt), out);
}

}  // namespace

extern "C" {

loyalty_status loyalty_enroll(loyalty_terminal* terminal, const char* op_id, const char* card,
                              const char* account_id, const char* name,
                              const char* cashier_id, loyalty_result** out) {
  return loyalty_enroll_member(terminal, op_id, card, account_id, name, nullptr, nullptr,
                               cashier_id, out);
}

loyalty_status loyalty_enroll_member(loyalty_terminal* terminal, const char* op_id,
                                     const char* card, const char* account_id,
                                     const char* name, const char* birthday,
                                     const char* referrer, const char* cashier_id,
                                     loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::Enrollment request;
    request.op_id = Text(op_id);
    request.card = *parsed;
    request.account_id = Text(account_id);
    request.name = Text(name);
    request.birthday = Text(birthday);
    if (referrer != nullptr && *referrer != '\0') {
      auto brought_by = ParseCard(referrer, "referrer");
      if (!brought_by.ok()) return Report(brought_by.status());
      request.referrer = *brought_by;
    }
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->Enroll(request), out);
  });
}

loyalty_status loyalty_lookup(loyalty_terminal* terminal, const char* card,
                              loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    auto view = terminal->terminal->Lookup(*parsed);
    if (!view.ok()) return Report(view.status());
    return Give(loyalty::capi::FromCardView(*view), out);
  });
}

loyalty_status loyalty_balance(loyalty_terminal* terminal, const char* card,
                               loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    auto balance = terminal->terminal->Balance(*parsed);
    if (!balance.ok()) return Report(balance.status());
    return Give(loyalty::capi::FromBalance(*balance), out);
  });
}

loyalty_status loyalty_quote(loyalty_terminal* terminal, const char* card,
                             const loyalty_basket* basket, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    if (basket == nullptr) return Missing("basket");
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    auto quote = terminal->terminal->QuoteBasket(*parsed, basket->basket, basket->rewards,
                                                 basket->coupons);
    if (!quote.ok()) return Report(quote.status());
    return Give(loyalty::capi::FromQuote(*quote), out);
  });
}

loyalty_status loyalty_commit(loyalty_terminal* terminal, const char* op_id, const char* card,
                              const loyalty_basket* basket, const char* cashier_id,
                              loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    if (basket == nullptr) return Missing("basket");
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    return GiveReceipt(terminal->terminal->Commit(MakeCheckout(op_id, *parsed, *basket,
                                                                cashier_id)),
                       out);
  });
}

loyalty_status loyalty_reserve(loyalty_terminal* terminal, const char* op_id, const char* card,
                               const loyalty_basket* basket, const char* cashier_id,
                               loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    if (basket == nullptr) return Missing("basket");
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    return GiveReceipt(terminal->terminal->Reserve(MakeCheckout(op_id, *parsed, *basket,
                                                                 cashier_id)),
                       out);
  });
}

loyalty_status loyalty_confirm_reservation(loyalty_terminal* terminal, const char* op_id,
                                           const char* reservation_op_id,
                                           loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    return GiveReceipt(terminal->terminal->ConfirmReservation(
                           {Text(op_id), Text(reservation_op_id)}),
                       out);
  });
}

loyalty_status loyalty_release_reservation(loyalty_terminal* terminal, const char* op_id,
                                           const char* reservation_op_id,
                                           loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    return GiveReceipt(terminal->terminal->ReleaseReservation(
                           {Text(op_id), Text(reservation_op_id)}),
                       out);
  });
}

loyalty_status loyalty_load_gift_card(loyalty_terminal* terminal, const char* op_id,
                                      const char* gift_card, int64_t amount_minor,
                                      loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(gift_card, "gift_card");
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::StoredValueLoad load;
    load.op_id = Text(op_id);
    load.card = *parsed;
    load.amount_minor = amount_minor;
    return GiveReceipt(terminal->terminal->LoadGiftCard(load), out);
  });
}

loyalty_status loyalty_gift_card_balance(loyalty_terminal* terminal, const char* gift_card,
                                         int64_t* balance_minor) {
  return Guard([&] {
    if (balance_minor == nullptr) return Missing("balance_minor");
    *balance_minor = 0;
    if (terminal == nullptr) return Missing("terminal");
    auto parsed = ParseCard(gift_card, "gift_card");
    if (!parsed.ok()) return Report(parsed.status());
    auto balance = terminal->terminal->GiftCardBalance(*parsed);
    if (!balance.ok()) return Report(balance.status());
    *balance_minor = *balance;
    return Ok();
  });
}

loyalty_status loyalty_top_up_wallet(loyalty_terminal* terminal, const char* op_id,
                                     const char* card, int64_t amount_minor,
                                     loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::StoredValueLoad load;
    load.op_id = Text(op_id);
    load.card = *parsed;
    load.amount_minor = amount_minor;
    return GiveReceipt(terminal->terminal->TopUpWallet(load), out);
  });
}

namespace {

loyalty_status VoidLoad(loyalty_terminal* terminal, loyalty::LoadVoid& request,
                        const char* op_id, const char* load_op_id, const char* operator_id,
                        const char* reason, const char* cashier_id, loyalty_result** out) {
  request.op_id = Text(op_id);
  request.load_op_id = Text(load_op_id);
  request.operator_id = Text(operator_id);
  request.reason = Text(reason);
  request.cashier_id = Text(cashier_id);
  return GiveReceipt(terminal->terminal->VoidLoad(request), out);
}

}  // namespace

loyalty_status loyalty_void_load(loyalty_terminal* terminal, const char* op_id,
                                 const char* load_op_id, const char* operator_id,
                                 const char* reason, const char* cashier_id,
                                 loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    loyalty::LoadVoid request;
    return VoidLoad(terminal, request, op_id, load_op_id, operator_id, reason, cashier_id, out);
  });
}

loyalty_status loyalty_refund_load(loyalty_terminal* terminal, const char* op_id,
                                   const char* load_op_id, int64_t amount_minor,
                                   const char* operator_id, const char* reason,
                                   const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    loyalty::LoadVoid request;
    request.amount_minor = amount_minor;
    return VoidLoad(terminal, request, op_id, load_op_id, operator_id, reason, cashier_id, out);
  });
}

loyalty_status loyalty_redeem(loyalty_terminal* terminal, const char* op_id, const char* card,
                              int64_t points, const char* reason, const char* cashier_id,
                              loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::Redemption request;
    request.op_id = Text(op_id);
    request.card = *parsed;
    request.points = points;
    request.reason = Text(reason);
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->Redeem(request), out);
  });
}

namespace {

loyalty_status Refund(loyalty_terminal* terminal, loyalty::RefundRequest& request,
                      const char* op_id, const char* sale_op_id, const char* cashier_id,
                      loyalty_result** out) {
  request.op_id = Text(op_id);
  request.sale_op_id = Text(sale_op_id);
  request.cashier_id = Text(cashier_id);
  return GiveReceipt(terminal->terminal->Refund(request), out);
}

}  // namespace

loyalty_status loyalty_refund(loyalty_terminal* terminal, const char* op_id,
                              const char* sale_op_id, int64_t amount_minor,
                              const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    loyalty::RefundRequest request;
    request.amount_minor = amount_minor;
    return Refund(terminal, request, op_id, sale_op_id, cashier_id, out);
  });
}

loyalty_status loyalty_refund_rest(loyalty_terminal* terminal, const char* op_id,
                                   const char* sale_op_id, const char* cashier_id,
                                   loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    loyalty::RefundRequest request;
    return Refund(terminal, request, op_id, sale_op_id, cashier_id, out);
  });
}

loyalty_status loyalty_refund_lines(loyalty_terminal* terminal, const char* op_id,
                                    const char* sale_op_id, const int64_t* line_numbers,
                                    const int64_t* quantities, size_t count,
                                    const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    if (count == 0) {
      return Fail(StatusCode::kInvalidArgument,
                  "count: 0 lines; use loyalty_refund_rest for everything left");
    }
    if (line_numbers == nullptr) return Missing("line_numbers");
    if (quantities == nullptr) return Missing("quantities");
    loyalty::RefundRequest request;
    for (size_t i = 0; i < count; ++i) request.lines.push_back({line_numbers[i], quantities[i]});
    return Refund(terminal, request, op_id, sale_op_id, cashier_id, out);
  });
}

loyalty_status loyalty_exchange(loyalty_terminal* terminal, const char* op_id,
                                const char* sale_op_id, const int64_t* line_numbers,
                                const int64_t* quantities, size_t count, const char* card,
                                const loyalty_basket* basket, const char* cashier_id,
                                loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    if (count == 0) {
      return Fail(StatusCode::kInvalidArgument,
                  "count: 0 lines; an exchange brings back at least one line of the sale");
    }
    if (line_numbers == nullptr) return Missing("line_numbers");
    if (quantities == nullptr) return Missing("quantities");
    if (basket == nullptr) return Missing("basket");
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::ExchangeRequest request;
    request.op_id = Text(op_id);
    request.sale_op_id = Text(sale_op_id);
    for (size_t i = 0; i < count; ++i) {
      request.returned.push_back({line_numbers[i], quantities[i]});
    }
    // The purchase's op_id is the exchange's: left empty, as Exchange asks.
    request.purchase = MakeCheckout(nullptr, *parsed, *basket, cashier_id);
    auto done = terminal->terminal->Exchange(request);
    if (!done.ok()) return Report(done.status());
    return Give(loyalty::capi::FromExchange(*done), out);
  });
}

loyalty_status loyalty_void(loyalty_terminal* terminal, const char* op_id,
                            const char* target_op_id, const char* operator_id,
                            const char* reason, const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    loyalty::VoidRequest request;
    request.op_id = Text(op_id);
    request.target_op_id = Text(target_op_id);
    request.operator_id = Text(operator_id);
    request.reason = Text(reason);
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->Void(request), out);
  });
}

loyalty_status loyalty_adjust(loyalty_terminal* terminal, const char* op_id, const char* card,
                              int64_t points, const char* operator_id, const char* reason,
                              const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::Adjustment request;
    request.op_id = Text(op_id);
    request.card = *parsed;
    request.points = points;
    request.operator_id = Text(operator_id);
    request.reason = Text(reason);
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->Adjust(request), out);
  });
}

loyalty_status loyalty_block(loyalty_terminal* terminal, const char* op_id, const char* card,
                             int blocked, const char* operator_id, const char* reason,
                             const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::CardBlock request;
    request.op_id = Text(op_id);
    request.card = *parsed;
    request.blocked = blocked != 0;
    request.operator_id = Text(operator_id);
    request.reason = Text(reason);
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->Block(request), out);
  });
}

loyalty_status loyalty_record_event(loyalty_terminal* terminal, const char* op_id,
                                    const char* card, const char* event,
                                    const char* cashier_id, loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    loyalty::CustomerEvent request;
    request.op_id = Text(op_id);
    request.card = *parsed;
    request.event = Text(event);
    request.cashier_id = Text(cashier_id);
    return GiveReceipt(terminal->terminal->RecordEvent(request), out);
  });
}

loyalty_status loyalty_record_anonymous_sale(loyalty_terminal* terminal, const char* op_id,
                                             const char* currency, int64_t amount_minor,
                                             const char* cashier_id) {
  return Guard([&] {
    if (terminal == nullptr) return Missing("terminal");
    loyalty::AnonymousSale sale;
    sale.op_id = Text(op_id);
    sale.currency = Text(currency);
    sale.amount_minor = amount_minor;
    sale.cashier_id = Text(cashier_id);
    return Report(terminal->terminal->RecordAnonymousSale(sale));
  });
}

loyalty_status loyalty_expire(loyalty_terminal* terminal, const char* op_id,
                              loyalty_result** out) {
  return Guard([&] {
    if (loyalty_status s = Begin(terminal, out); s != LOYALTY_OK) return s;
    auto receipts = terminal->terminal->ExpirePoints(Text(op_id));
    if (!receipts.ok()) return Report(receipts.status());
    return Give(loyalty::capi::FromReceipts(*receipts), out);
  });
}

}  // extern "C"
