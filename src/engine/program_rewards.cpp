// The "rewards", "coupons", "bonuses" and "stamp_cards" sections of a
// program document: what points, codes and stamps buy, and the bonuses.
#include "engine/program_checker.hpp"


namespace loyalty::engine::parse {

// Rewards and coupons share one shape; coupons cost no points and are taken
// by code.
void ParseRewards(Checker& check, const Json& rewards, Program& program,
                  const std::string& section) {
  const bool coupons = section == "coupons";
  std::vector<Reward>& out = coupons ? program.coupons : program.rewards;
  if (!rewards.is_array()) {
    check.Problem(section, "must be a list of " + section);
    return;
  }
  static const std::pair<const char*, RewardKind> kKinds[] = {
      {"order_amount", RewardKind::kOrderAmount}, {"order_percent", RewardKind::kOrderPercent},
      {"lines_amount", RewardKind::kLinesAmount}, {"lines_percent", RewardKind::kLinesPercent},
      {"cheapest_free", RewardKind::kCheapestFree}, {"free_product", RewardKind::kFreeProduct},
      {"voucher", RewardKind::kVoucher}};
  for (size_t i = 0; i < rewards.size(); ++i) {
    const std::string path = section + "[" + std::to_string(i) + "]";
    const Json& r = rewards[i];
    if (!r.is_object()) {
      check.Problem(path, "must be an object");
      continue;
    }
    if (coupons) {
      check.OnlyKnownKeys(r, path,
                          {"id", "name", "kind", "amount", "percent", "products", "categories",
                           "min_tier", "valid_from", "valid_until", "per_customer", "code",
                           "valid_days"});
    } else {
      check.OnlyKnownKeys(r, path,
                          {"id", "name", "kind", "cost", "amount", "percent", "products",
                           "categories", "min_tier", "valid_from", "valid_until",
                           "per_customer", "per_period", "stock", "stamp_card"});
    }
    Reward reward;
    check.Text(r, path, "id", reward.id, true);
    check.Text(r, path, "name", reward.name);
    if (reward.name.empty()) reward.name = reward.id;
    std::string kind;
    check.Text(r, path, "kind", kind, true);
    bool known = false;
    for (const auto& [name, value] : kKinds) {
      if (kind == name) {
        reward.kind = value;
        known = true;
      }
    }
    if (!known && r.contains("kind")) {
      check.Problem(path + ".kind",
                    "must be order_amount, order_percent, lines_amount, lines_percent, "
                    "cheapest_free, free_product or voucher, got \"" + kind + "\"");
    }
    check.Text(r, path, "stamp_card", reward.stamp_card);
    // A stamp reward is paid in stamps; a points cost would be a typo.
    if (!coupons) {
      check.Integer(r, path, "cost", reward.stamp_card.empty() ? 1 : 0, INT64_MAX / 4,
                    reward.cost, reward.stamp_card.empty());
    }
    check.Text(r, path, "code", reward.code);
    std::int64_t valid_days = reward.valid_days;
    check.Integer(r, path, "valid_days", 1, 3650, valid_days);
    reward.valid_days = static_cast<int>(valid_days);
    const bool needs_amount = reward.kind == RewardKind::kOrderAmount ||
                              reward.kind == RewardKind::kLinesAmount ||
                              reward.kind == RewardKind::kVoucher;
    if (auto a = ParseAmount(check, r, path, "amount", program.currency, needs_amount && known)) {
      reward.amount_minor = *a;
    }
    const bool needs_percent = reward.kind == RewardKind::kOrderPercent ||
                               reward.kind == RewardKind::kLinesPercent;
    check.Integer(r, path, "percent", 1, 100, reward.percent, needs_percent && known);
    reward.lines = ParseFilter(check, r, path);
    const bool needs_lines = reward.kind == RewardKind::kLinesAmount ||
                             reward.kind == RewardKind::kLinesPercent ||
                             reward.kind == RewardKind::kFreeProduct;
    if (coupons && reward.kind == RewardKind::kVoucher) {
      check.Problem(path + ".kind", "a coupon takes something off the basket; voucher is a reward");
    }
    if (known && needs_lines && reward.lines.Any()) {
      check.Problem(path, "a " + kind + " reward needs products or categories");
    }
    check.Text(r, path, "min_tier", reward.min_tier);
    reward.valid_from_day = ParseDay(check, r, path, "valid_from");
    reward.valid_until_day = ParseDay(check, r, path, "valid_until");
    if (r.contains("per_customer")) {
      std::int64_t n = 0;
      check.Integer(r, path, "per_customer", 1, INT64_MAX, n);
      reward.per_customer = n;
    }
    if (const Json* period = check.Object(r, path, "per_period")) {
      check.OnlyKnownKeys(*period, path + ".per_period", {"count", "days"});
      check.Integer(*period, path + ".per_period", "count", 1, 1'000'000,
                    reward.per_period_count, true);
      std::int64_t days = 0;
      check.Integer(*period, path + ".per_period", "days", 1, 3660, days, true);
      reward.per_period_days = static_cast<int>(days);
    }
    if (r.contains("stock")) {
      std::int64_t n = 0;
      check.Integer(r, path, "stock", 0, INT64_MAX, n);
      reward.stock = n;
    }
    for (const Reward& earlier : program.rewards) {
      if (earlier.id == reward.id && !reward.id.empty()) {
        check.Problem(path + ".id", "\"" + reward.id + "\" is used by another reward");
      }
    }
    for (const Reward& earlier : program.coupons) {
      if (earlier.id == reward.id && !reward.id.empty()) {
        check.Problem(path + ".id", "\"" + reward.id + "\" is used by another coupon");
      }
    }
    out.push_back(std::move(reward));
  }
}

void ParseBonuses(Checker& check, const Json& bonuses, Program& program) {
  check.OnlyKnownKeys(bonuses, "bonuses", {"signup", "birthday", "referral", "events"});
  check.Integer(bonuses, "bonuses", "signup", 0, 1'000'000'000, program.signup_bonus);
  check.Integer(bonuses, "bonuses", "birthday", 0, 1'000'000'000, program.birthday_bonus);
  if (const Json* referral = check.Object(bonuses, "bonuses", "referral")) {
    check.OnlyKnownKeys(*referral, "bonuses.referral", {"new_member", "referrer"});
    check.Integer(*referral, "bonuses.referral", "new_member", 0, 1'000'000'000,
                  program.referral_new_member);
    check.Integer(*referral, "bonuses.referral", "referrer", 0, 1'000'000'000,
                  program.referral_referrer);
  }
  if (const Json* events = check.Object(bonuses, "bonuses", "events")) {
    for (const auto& [name, value] : events->items()) {
      const std::string where = "bonuses.events." + name;
      if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) {
        check.Problem(where, "must be a whole number of points > 0, got " + Checker::Shown(value));
        continue;
      }
      program.event_bonuses.emplace_back(name, value.get<Points>());
    }
  }
}

void ParseStampCards(Checker& check, const Json& cards, Program& program) {
  if (!cards.is_array()) {
    check.Problem("stamp_cards", "must be a list of stamp cards");
    return;
  }
  for (size_t i = 0; i < cards.size(); ++i) {
    const std::string path = "stamp_cards[" + std::to_string(i) + "]";
    const Json& c = cards[i];
    if (!c.is_object()) {
      check.Problem(path, "must be an object");
      continue;
    }
    check.OnlyKnownKeys(c, path, {"id", "products", "categories", "count", "needed", "reward"});
    StampCard card;
    check.Text(c, path, "id", card.id, true);
    card.lines = ParseFilter(check, c, path);
    if (card.lines.Any()) check.Problem(path, "a stamp card needs products or categories");
    std::string count = "items";
    check.Text(c, path, "count", count);
    if (count == "visits") {
      card.per_visit = true;
    } else if (count != "items") {
      check.Problem(path + ".count", "must be \"items\" or \"visits\", got \"" + count + "\"");
    }
    check.Integer(c, path, "needed", 1, 1000, card.needed, true);
    check.Text(c, path, "reward", card.reward, true);
    program.stamp_cards.push_back(std::move(card));
  }
}

}  // namespace loyalty::engine::parse
