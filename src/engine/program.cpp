#include "engine/program.hpp"

#include <algorithm>

namespace loyalty::engine {

bool LineFilter::Matches(const std::string& sku, const std::string& category) const {
  if (Any()) return true;
  return std::find(products.begin(), products.end(), sku) != products.end() ||
         std::find(categories.begin(), categories.end(), category) != categories.end();
}

const Reward* Program::FindReward(const std::string& reward_id) const {
  for (const Reward& r : rewards) {
    if (r.id == reward_id) return &r;
  }
  return nullptr;
}

const StampCard* Program::FindStampCard(const std::string& card_id) const {
  for (const StampCard& c : stamp_cards) {
    if (c.id == card_id) return &c;
  }
  return nullptr;
}

const Reward* Program::FindCoupon(const std::string& coupon_id) const {
  for (const Reward& c : coupons) {
    if (c.id == coupon_id) return &c;
  }
  return nullptr;
}

const Reward* Program::FindCouponByCode(const std::string& code) const {
  for (const Reward& c : coupons) {
    if (!c.code.empty() && c.code == code) return &c;
  }
  return nullptr;
}

const Tier* Program::FindTier(const std::string& tier_id) const {
  if (!tiers) return nullptr;
  for (const Tier& t : tiers->levels) {
    if (t.id == tier_id) return &t;
  }
  return nullptr;
}

}  // namespace loyalty::engine
