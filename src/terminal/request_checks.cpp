#include "terminal/request_checks.hpp"

#include <string>

#include "common/limits.hpp"
#include "common/text.hpp"

namespace loyalty::terminal {
namespace {

using limits::kMaxIdBytes;

Status Id(const char* field, const std::string& value) {
  return text::Check(field, value, kMaxIdBytes);
}

Status OpId(const char* field, const std::string& value) {
  return text::Check(field, value, limits::kMaxOpIdBytes);
}

Status Reason(const char* field, const std::string& value) {
  return text::Check(field, value, limits::kMaxReasonBytes);
}

Status Amount(const std::string& field, std::int64_t value) {
  if (value > limits::kMaxAmountMinor || value < -limits::kMaxAmountMinor) {
    return {StatusCode::kAmountOverflow,
            field + ": " + std::to_string(value) + " is past the limit of " +
                std::to_string(limits::kMaxAmountMinor) + " minor units"};
  }
  return Status::Ok();
}

Status PointsAmount(const char* field, Points value) {
  if (value > limits::kMaxPoints || value < -limits::kMaxPoints) {
    return {StatusCode::kAmountOverflow, std::string(field) + ": " + std::to_string(value) +
                                             " is past the limit of " +
                                             std::to_string(limits::kMaxPoints) + " points"};
  }
  return Status::Ok();
}

// The first failure of a list of checks, or Ok.
Status First(std::initializer_list<Status> checks) {
  for (const Status& s : checks) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status CheckBasket(const Basket& basket) {
  if (basket.lines.size() > limits::kMaxBasketLines) {
    return {StatusCode::kInvalidArgument,
            "basket.lines: " + std::to_string(basket.lines.size()) +
                " lines, more than the limit of " + std::to_string(limits::kMaxBasketLines)};
  }
  if (Status s = text::Check("basket.currency", basket.currency, 3); !s.ok()) return s;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < basket.lines.size(); ++i) {
    const BasketLine& line = basket.lines[i];
    const std::string where = "basket.lines[" + std::to_string(i) + "]";
    if (Status s = text::Check(where + ".sku", line.sku, limits::kMaxSkuBytes); !s.ok()) {
      return s;
    }
    if (Status s = text::Check(where + ".category", line.category, limits::kMaxCategoryBytes);
        !s.ok()) {
      return s;
    }
    if (Status s = Amount(where + ".amount_minor", line.amount_minor); !s.ok()) return s;
    if (line.quantity > limits::kMaxQuantity) {
      return {StatusCode::kAmountOverflow,
              where + ".quantity: " + std::to_string(line.quantity) +
                  " is past the limit of " + std::to_string(limits::kMaxQuantity)};
    }
    // Each line is within the limit; so must the sale be.
    if (line.amount_minor > 0 && !line.voided) {
      total += line.amount_minor;
      if (total > limits::kMaxAmountMinor) {
        return {StatusCode::kAmountOverflow,
                "basket: the lines' total passes the limit of " +
                    std::to_string(limits::kMaxAmountMinor) + " minor units at " + where};
      }
    }
  }
  return Status::Ok();
}

Status CheckRequest(const Enrollment& r) {
  return First({OpId("op_id", r.op_id), Id("account_id", r.account_id),
                text::Check("name", r.name, limits::kMaxNameBytes),
                text::Check("birthday", r.birthday, 10), Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const Checkout& r) {
  if (Status s = First({OpId("op_id", r.op_id), Id("cashier_id", r.cashier_id),
                        PointsAmount("redeem_points", r.redeem_points),
                        Amount("wallet_minor", r.wallet_minor)});
      !s.ok()) {
    return s;
  }
  if (r.rewards.size() > limits::kMaxRewardsPerSale) {
    return {StatusCode::kInvalidArgument,
            "rewards: " + std::to_string(r.rewards.size()) + " ids, more than the limit of " +
                std::to_string(limits::kMaxRewardsPerSale)};
  }
  if (r.coupons.size() > limits::kMaxCouponsPerSale ||
      r.gift_cards.size() > limits::kMaxCouponsPerSale) {
    return {StatusCode::kInvalidArgument,
            "coupons, gift_cards: more than the limit of " +
                std::to_string(limits::kMaxCouponsPerSale) + " each"};
  }
  for (std::size_t i = 0; i < r.rewards.size(); ++i) {
    if (Status s = Id(("rewards[" + std::to_string(i) + "]").c_str(), r.rewards[i]); !s.ok()) {
      return s;
    }
  }
  for (std::size_t i = 0; i < r.coupons.size(); ++i) {
    if (Status s = Id(("coupons[" + std::to_string(i) + "]").c_str(), r.coupons[i]); !s.ok()) {
      return s;
    }
  }
  std::int64_t tendered = r.wallet_minor;
  for (std::size_t i = 0; i < r.gift_cards.size(); ++i) {
    const std::string where = "gift_cards[" + std::to_string(i) + "].amount_minor";
    if (Status s = Amount(where, r.gift_cards[i].amount_minor); !s.ok()) return s;
    tendered += r.gift_cards[i].amount_minor;
    if (Status s = Amount("tenders' total", tendered); !s.ok()) return s;
  }
  return CheckBasket(r.basket);
}

Status CheckRequest(const Redemption& r) {
  return First({OpId("op_id", r.op_id), PointsAmount("points", r.points),
                Reason("reason", r.reason), Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const Adjustment& r) {
  return First({OpId("op_id", r.op_id), PointsAmount("points", r.points),
                Id("operator_id", r.operator_id), Reason("reason", r.reason),
                Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const CardBlock& r) {
  return First({OpId("op_id", r.op_id), Id("operator_id", r.operator_id),
                Reason("reason", r.reason), Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const RefundRequest& r) {
  if (Status s = First({OpId("op_id", r.op_id), OpId("sale_op_id", r.sale_op_id),
                        Amount("amount_minor", r.amount_minor.value_or(0)),
                        Id("cashier_id", r.cashier_id)});
      !s.ok()) {
    return s;
  }
  if (r.lines.size() > limits::kMaxBasketLines) {
    return {StatusCode::kInvalidArgument,
            "lines: more than the limit of " + std::to_string(limits::kMaxBasketLines)};
  }
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    if (r.lines[i].quantity > limits::kMaxQuantity) {
      return {StatusCode::kAmountOverflow, "lines[" + std::to_string(i) +
                                               "].quantity: past the limit of " +
                                               std::to_string(limits::kMaxQuantity)};
    }
  }
  return Status::Ok();
}

Status CheckRequest(const VoidRequest& r) {
  return First({OpId("op_id", r.op_id), OpId("target_op_id", r.target_op_id),
                Id("operator_id", r.operator_id), Reason("reason", r.reason),
                Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const CustomerEvent& r) {
  return First({OpId("op_id", r.op_id), Id("event", r.event), Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const StoredValueLoad& r) {
  return First({OpId("op_id", r.op_id), Amount("amount_minor", r.amount_minor)});
}

Status CheckRequest(const LoadVoid& r) {
  return First({OpId("op_id", r.op_id), OpId("load_op_id", r.load_op_id),
                Amount("amount_minor", r.amount_minor.value_or(0)),
                Id("operator_id", r.operator_id), Reason("reason", r.reason),
                Id("cashier_id", r.cashier_id)});
}

Status CheckRequest(const ReservationDecision& r) {
  return First({OpId("op_id", r.op_id), OpId("reservation_op_id", r.reservation_op_id)});
}

Status CheckRequest(const AnonymousSale& r) {
  return First({OpId("op_id", r.op_id), text::Check("currency", r.currency, 3),
                Amount("amount_minor", r.amount_minor), Id("cashier_id", r.cashier_id)});
}

}  // namespace loyalty::terminal
