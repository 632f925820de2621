#include "engine/program.hpp"

#include <algorithm>

namespace loyalty::engine {

bool LineFilter::Matches(const std::string& sku, const std::string& category) const {
  if (Any()) return true;
  return std::find(products.begin(), products.end(), sku) != products.end() ||
         std::find(categories.begin(), categories.end(), category) != categories.end();
}

void Program::Intern() {
  auto number = [](std::unordered_map<std::string, int>& index,
                   const std::vector<std::string>& names, std::vector<int>& keys) {
    keys.clear();
    for (const std::string& item : names) {
      auto [it, added] = index.emplace(item, static_cast<int>(index.size()));
      keys.push_back(it->second);
    }
  };
  auto intern = [&](LineFilter& f) {
    number(product_index, f.products, f.product_keys);
    number(category_index, f.categories, f.category_keys);
  };
  intern(excluded);
  // Rules that name the same lines share a filter id, so a quote works out
  // each distinct set of lines once however many rules use it.
  std::vector<const LineFilter*> distinct;
  for (EarnRule& r : rules) {
    intern(r.lines);
    r.lines.filter_id = -1;
    for (size_t k = 0; k < distinct.size(); ++k) {
      if (distinct[k]->product_keys == r.lines.product_keys &&
          distinct[k]->category_keys == r.lines.category_keys) {
        r.lines.filter_id = static_cast<int>(k);
      }
    }
    if (r.lines.filter_id < 0) {
      r.lines.filter_id = static_cast<int>(distinct.size());
      distinct.push_back(&r.lines);
    }
    if (r.type == RuleType::kSpend) {
      r.how = std::to_string(r.points) + (r.points == 1 ? " point" : " points") + " per " +
              Money(r.per_minor, currency).ToString();
      if (r.multiplier_permille != kPermille) {
        std::string factor = std::to_string(r.multiplier_permille / kPermille);
        if (const auto frac = r.multiplier_permille % kPermille; frac != 0) {
          std::string digits = std::to_string(frac + kPermille).substr(1);
          while (!digits.empty() && digits.back() == '0') digits.pop_back();
          factor += "." + digits;
        }
        r.how += " " + factor + "x";
      }
    }
  }
  filter_count = static_cast<int>(distinct.size());
  for (Reward& r : rewards) intern(r.lines);
  for (Reward& c : coupons) intern(c.lines);
  for (StampCard& c : stamp_cards) intern(c.lines);
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
