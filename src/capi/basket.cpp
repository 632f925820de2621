// The basket handle: lines, rewards taken and points as a tender.
#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Text;

extern "C" {

loyalty_status loyalty_basket_new(const char* currency, loyalty_basket** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (currency == nullptr) return Missing("currency");
    auto basket = std::make_unique<loyalty_basket>();
    basket->basket.currency = currency;
    *out = basket.release();
    return Ok();
  });
}

void loyalty_basket_free(loyalty_basket* basket) { delete basket; }

loyalty_status loyalty_basket_add_line(loyalty_basket* basket, const char* sku,
                                       const char* category, int64_t quantity,
                                       int64_t amount_minor) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    // Amounts and quantities are checked where the C++ API checks them
    // (quote, commit), so errors name the line the same way.
    basket->basket.lines.push_back({Text(sku), Text(category), quantity, amount_minor, false});
    return Ok();
  });
}

loyalty_status loyalty_basket_set_line_voided(loyalty_basket* basket, size_t index,
                                              int voided) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    if (index >= basket->basket.lines.size()) {
      return Fail(StatusCode::kInvalidArgument,
                  "index: " + std::to_string(index) + " but the basket has " +
                      std::to_string(basket->basket.lines.size()) + " lines");
    }
    basket->basket.lines[index].voided = voided != 0;
    return Ok();
  });
}

loyalty_status loyalty_basket_add_reward(loyalty_basket* basket, const char* reward_id) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    if (reward_id == nullptr) return Missing("reward_id");
    basket->rewards.emplace_back(reward_id);
    return Ok();
  });
}

loyalty_status loyalty_basket_set_redeem_points(loyalty_basket* basket, int64_t points) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    if (points < 0) {
      return Fail(StatusCode::kAmountNegative,
                  "redeem_points: " + std::to_string(points) + " is negative");
    }
    basket->redeem_points = points;
    return Ok();
  });
}

loyalty_status loyalty_basket_add_coupon(loyalty_basket* basket, const char* code) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    if (code == nullptr) return Missing("code");
    basket->coupons.emplace_back(code);
    return Ok();
  });
}

loyalty_status loyalty_basket_add_gift_card(loyalty_basket* basket, const char* gift_card,
                                           int64_t amount_minor) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    auto card = loyalty::capi::ParseCard(gift_card, "gift_card");
    if (!card.ok()) return loyalty::capi::Report(card.status());
    if (amount_minor <= 0) {
      return Fail(amount_minor < 0 ? StatusCode::kAmountNegative : StatusCode::kInvalidArgument,
                  "amount_minor: " + std::to_string(amount_minor) + " must be > 0");
    }
    basket->gift_cards.push_back({*card, amount_minor});
    return Ok();
  });
}

loyalty_status loyalty_basket_set_wallet_minor(loyalty_basket* basket, int64_t amount_minor) {
  return Guard([&] {
    if (basket == nullptr) return Missing("basket");
    if (amount_minor < 0) {
      return Fail(StatusCode::kAmountNegative,
                  "wallet_minor: " + std::to_string(amount_minor) + " is negative");
    }
    basket->wallet_minor = amount_minor;
    return Ok();
  });
}

}  // extern "C"
