#include "engine/earn.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string>

#include "engine/allocate.hpp"

namespace loyalty::engine {
namespace {

using internal::CheckedAdd;
using internal::CheckedMul;

std::string LineName(size_t index, const BasketLine& line) {
  std::string name = "basket.lines[" + std::to_string(index) + "]";
  if (!line.sku.empty()) name += " (sku " + line.sku + ")";
  return name;
}

// Appends "12 points" without temporaries: quotes build many such lines.
void AppendPoints(std::string& out, Points p) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, p).ptr;
  out.append(digits, end);
  out += (p == 1 || p == -1) ? " point" : " points";
}

std::string PointsText(Points p) {
  std::string out;
  AppendPoints(out, p);
  return out;
}

// Appends "12.40 EUR" (what Money::ToString prints) without temporaries.
void AppendMoney(std::string& out, std::int64_t minor, const Currency& currency) {
  const bool negative = minor < 0;
  const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(minor)
                                     : static_cast<std::uint64_t>(minor);
  const auto per = static_cast<std::uint64_t>(currency.minor_per_major());
  if (negative) out += '-';
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, mag / per).ptr;
  out.append(digits, end);
  if (currency.exponent() > 0) {
    out += '.';
    end = std::to_chars(digits, digits + sizeof digits, mag % per).ptr;
    out.append(static_cast<size_t>(currency.exponent()) - static_cast<size_t>(end - digits), '0');
    out.append(digits, end);
  }
  out += ' ';
  out += currency.code();
}

std::string Factor(std::int64_t permille) {
  std::string out = std::to_string(permille / kPermille);
  std::int64_t frac = permille % kPermille;
  if (frac != 0) {
    std::string digits = std::to_string(frac + kPermille).substr(1);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "x";
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Why a rule is not in force now, or empty when it is.
bool InForce(const EarnRule& rule, const Context& c, const std::string& tier) {
  const Window& w = rule.when;
  if (!w.weekdays.empty() &&
      std::find(w.weekdays.begin(), w.weekdays.end(), c.local.weekday) == w.weekdays.end()) {
    return false;
  }
  if (w.from_minute && c.local.minute < *w.from_minute) return false;
  if (w.until_minute && c.local.minute >= *w.until_minute) return false;
  if (w.from_day && c.local.day < *w.from_day) return false;
  if (w.until_day && c.local.day > *w.until_day) return false;
  const Audience& a = rule.audience;
  if (!a.tiers.empty() && !Contains(a.tiers, tier)) return false;
  if (!a.segments.empty() && !Contains(a.segments, c.segment)) return false;
  if (!a.stores.empty() && !Contains(a.stores, c.store_id)) return false;
  if (!a.terminals.empty() && !Contains(a.terminals, c.terminal_id)) return false;
  return true;
}

// rate = points * m1 * m2 / (per * 1000 * 1000), reduced so MulDiv's
// denominator stays small.
std::optional<Points> SpendPoints(std::int64_t eligible, const EarnRule& rule,
                                  std::int64_t tier_permille) {
  auto num = CheckedMul(rule.points, rule.multiplier_permille);
  if (!num) return std::nullopt;
  num = CheckedMul(*num, tier_permille);
  if (!num) return std::nullopt;
  auto den = CheckedMul(rule.per_minor, kPermille * kPermille);
  if (!den) return std::nullopt;
  const std::int64_t g = std::gcd(*num, *den);
  return internal::MulDiv(eligible, *num / g, *den / g, rule.rounding);
}

struct Pricing {
  std::vector<std::int64_t> discounts;  // per line
  std::vector<std::int64_t> free_units;  // per line: units given away
  std::int64_t total = 0;
};

// Each basket line's product and category as the program numbers them.
struct LineKeys {
  int product = -1;
  int category = -1;
};

// What a reward takes off the basket, per line (before any other reward).
Pricing Discount(const Reward& reward, const Basket& basket,
                 const std::vector<std::int64_t>& net, const std::vector<LineKeys>& keys) {
  Pricing p;
  p.discounts.assign(basket.lines.size(), 0);
  p.free_units.assign(basket.lines.size(), 0);
  std::vector<std::int64_t> weights(basket.lines.size(), 0);
  for (size_t i = 0; i < basket.lines.size(); ++i) {
    const BasketLine& l = basket.lines[i];
    if (l.voided) continue;
    const bool order_wide = reward.kind == RewardKind::kOrderAmount ||
                            reward.kind == RewardKind::kOrderPercent;
    if (order_wide || reward.lines.Matches(keys[i].product, keys[i].category)) {
      weights[i] = net[i];
    }
  }
  const std::int64_t base = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  std::int64_t off = 0;
  switch (reward.kind) {
    case RewardKind::kOrderAmount:
    case RewardKind::kLinesAmount:
      off = std::min(reward.amount_minor, base);
      break;
    case RewardKind::kOrderPercent:
    case RewardKind::kLinesPercent:
      off = internal::MulDiv(base, reward.percent, 100, internal::Rounding::kDown).value_or(0);
      break;
    case RewardKind::kCheapestFree:
    case RewardKind::kFreeProduct: {
      // One unit of the cheapest matching line.
      std::optional<size_t> pick;
      std::int64_t unit = 0;
      for (size_t i = 0; i < weights.size(); ++i) {
        const BasketLine& l = basket.lines[i];
        if (weights[i] <= 0 || l.quantity <= 0) continue;
        const std::int64_t u = net[i] / l.quantity;
        if (!pick || u < unit) {
          pick = i;
          unit = u;
        }
      }
      if (pick) {
        p.discounts[*pick] = unit;
        p.free_units[*pick] = 1;
        p.total = unit;
      }
      return p;
    }
    case RewardKind::kVoucher:
      return p;
  }
  p.discounts = Allocate(off, weights);
  p.total = off;
  return p;
}

std::string DescribeReward(const Reward& r, const Currency& currency) {
  switch (r.kind) {
    case RewardKind::kOrderAmount:
      return Money(r.amount_minor, currency).ToString() + " off the order";
    case RewardKind::kOrderPercent:
      return std::to_string(r.percent) + "% off the order";
    case RewardKind::kLinesAmount:
      return Money(r.amount_minor, currency).ToString() + " off " + r.name;
    case RewardKind::kLinesPercent:
      return std::to_string(r.percent) + "% off " + r.name;
    case RewardKind::kCheapestFree:
      return "cheapest item free";
    case RewardKind::kFreeProduct:
      return r.name + " free";
    case RewardKind::kVoucher:
      return r.name + " voucher worth " + Money(r.amount_minor, currency).ToString();
  }
  return r.name;
}

// Why the card cannot take the reward now, or empty. `stamps_spent` are
// stamps already used by rewards chosen before this one.
std::string WhyNot(const Program& program, const Reward& r, const Context& c,
                   const std::string& tier, Points available,
                   const std::map<std::string, std::int64_t>& stamps_spent = {}) {
  if (!r.min_tier.empty()) {
    const Tier* need = program.FindTier(r.min_tier);
    const Tier* have = program.FindTier(tier);
    if (need && (!have || have->threshold < need->threshold)) {
      return "needs tier " + r.min_tier;
    }
  }
  if (r.valid_from_day && c.local.day < *r.valid_from_day) return "not valid yet";
  if (r.valid_until_day && c.local.day > *r.valid_until_day) return "no longer valid";
  if (r.per_customer) {
    auto it = c.reward_uses.find(r.id);
    if (it != c.reward_uses.end() && it->second >= *r.per_customer) {
      return "already taken " + std::to_string(it->second) + " of " +
             std::to_string(*r.per_customer) + " times";
    }
  }
  if (r.per_period_days > 0) {
    auto it = c.reward_uses_in_period.find(r.id);
    if (it != c.reward_uses_in_period.end() && it->second >= r.per_period_count) {
      return "already taken " + std::to_string(it->second) + " times in the last " +
             std::to_string(r.per_period_days) + " days";
    }
  }
  if (r.stock) {
    auto it = c.reward_stock_used.find(r.id);
    const std::int64_t used = it == c.reward_stock_used.end() ? 0 : it->second;
    if (used >= *r.stock) return "out of stock";
  }
  if (!r.stamp_card.empty()) {
    const StampCard* card = program.FindStampCard(r.stamp_card);
    auto have = c.stamps.find(r.stamp_card);
    auto used = stamps_spent.find(r.stamp_card);
    const std::int64_t left = (have == c.stamps.end() ? 0 : have->second) -
                              (used == stamps_spent.end() ? 0 : used->second);
    if (card && left < card->needed) {
      return "needs " + std::to_string(card->needed) + " stamps, " +
             std::to_string(std::max<std::int64_t>(left, 0)) + " collected";
    }
    return {};
  }
  if (available < r.cost) {
    return "needs " + PointsText(r.cost) + ", " + PointsText(std::max<Points>(available, 0)) +
           " available";
  }
  return {};
}

// "500 points" or "10 stamps".
std::string Price(const Program& program, const Reward& r) {
  if (r.stamp_card.empty()) return PointsText(r.cost);
  const StampCard* card = program.FindStampCard(r.stamp_card);
  return std::to_string(card ? card->needed : 0) + " stamps";
}

}  // namespace

const Tier* TierFor(const Program& program, std::int64_t measure) {
  if (!program.tiers) return nullptr;
  const Tier* held = nullptr;
  for (const Tier& t : program.tiers->levels) {
    if (measure >= t.threshold) held = &t;
  }
  return held ? held : &program.tiers->levels.front();
}

std::vector<RewardOption> RewardOptions(const Program& program, const Context& context) {
  const Tier* tier = HeldTier(program, context);
  const std::string tier_id = tier ? tier->id : std::string();
  std::vector<RewardOption> options;
  for (const Reward& r : program.rewards) {
    RewardOption option;
    option.reward_id = r.id;
    option.name = r.name;
    option.cost = r.cost;
    option.why_not = WhyNot(program, r, context, tier_id, context.available);
    option.available = option.why_not.empty();
    option.explanation = DescribeReward(r, program.currency) + " for " + Price(program, r);
    options.push_back(std::move(option));
  }
  return options;
}

const Tier* HeldTier(const Program& program, const Context& context) {
  const Tier* now = TierFor(program, context.tier_measure);
  if (!context.tier_measure_at_evaluation) return now;
  const Tier* kept = TierFor(program, *context.tier_measure_at_evaluation);
  return kept && now && kept->threshold > now->threshold ? kept : now;
}

Result<Quote> Evaluate(const Program& program, const Basket& basket, const Context& context,
                       const std::vector<std::string>& chosen_rewards, Points tender_points,
                       const std::vector<std::string>& coupons, OnRefusedReward on_refused) {
  if (basket.currency != program.currency.code()) {
    return Status(StatusCode::kCurrencyMismatch,
                  "basket.currency: '" + basket.currency + "' but the program '" + program.id +
                      "' trades in " + std::string(program.currency.code()));
  }
  Quote quote;
  quote.currency = std::string(program.currency.code());
  const size_t n = basket.lines.size();
  std::vector<std::int64_t> net(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const BasketLine& line = basket.lines[i];
    if (line.amount_minor < 0) {
      return Status(StatusCode::kAmountNegative,
                    LineName(i, line) + ".amount_minor: " + std::to_string(line.amount_minor) +
                        " is negative; returns go through Refund");
    }
    if (line.quantity < 0) {
      return Status(StatusCode::kAmountNegative,
                    LineName(i, line) + ".quantity: " + std::to_string(line.quantity) +
                        " is negative");
    }
    if (line.voided) continue;
    auto sum = CheckedAdd(quote.basket_minor, line.amount_minor);
    if (!sum) {
      return Status(StatusCode::kAmountOverflow,
                    "basket total overflows at " + LineName(i, line));
    }
    quote.basket_minor = *sum;
    net[i] = line.amount_minor;
  }

  std::vector<LineKeys> keys(n);
  std::vector<bool> excluded(n, false);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = {program.ProductKey(basket.lines[i].sku),
               program.CategoryKey(basket.lines[i].category)};
    excluded[i] = !program.excluded.Any() &&
                  program.excluded.Matches(keys[i].product, keys[i].category);
  }

  // Tier and segment.
  const Tier* tier = HeldTier(program, context);
  const std::string tier_id = tier ? tier->id : std::string();
  const std::int64_t tier_permille = tier ? tier->multiplier_permille : kPermille;
  quote.tier.tier = tier_id;
  quote.tier.measure = context.tier_measure;
  if (tier) {
    const auto& levels = program.tiers->levels;
    for (size_t i = 0; i + 1 < levels.size(); ++i) {
      if (&levels[i] == tier) {
        quote.tier.next_tier = levels[i + 1].id;
        quote.tier.to_next = levels[i + 1].threshold - context.tier_measure;
      }
    }
  }
  quote.segment = context.segment;

  // Reward options on the undiscounted basket.
  for (const Reward& r : program.rewards) {
    RewardOption option;
    option.reward_id = r.id;
    option.name = r.name;
    option.cost = r.cost;
    option.discount_minor = Discount(r, basket, net, keys).total;
    option.why_not = WhyNot(program, r, context, tier_id, context.available);
    option.available = option.why_not.empty();
    option.explanation = DescribeReward(r, program.currency) + " for " + Price(program, r);
    if (r.kind != RewardKind::kVoucher && option.discount_minor == 0 && option.available) {
      option.available = false;
      option.why_not = "nothing in this basket it applies to";
    }
    quote.rewards.push_back(std::move(option));
  }

  // Chosen rewards, applied in the order given.
  quote.line_discounts.assign(n, 0);
  std::vector<std::int64_t> free_units(n, 0);
  std::map<std::string, std::int64_t> stamps_spent;
  Points cost = 0;
  // A reward the card cannot take: listed and skipped for a quote, the
  // commit's error otherwise.
  const bool list_refused = on_refused == OnRefusedReward::kList;
  auto refuse = [&](const std::string& id, StatusCode code, const std::string& reason) {
    quote.refused_rewards.push_back({id, code, reason});
  };
  for (const std::string& id : chosen_rewards) {
    const Reward* r = program.FindReward(id);
    if (r == nullptr) {
      if (list_refused) {
        refuse(id, StatusCode::kRewardRefused, "not in the program's catalog");
        continue;
      }
      return Status(StatusCode::kRewardRefused,
                    "rewards: '" + id + "' is not in the program's catalog");
    }
    const std::string why =
        WhyNot(program, *r, context, tier_id, context.available - cost, stamps_spent);
    if (!why.empty()) {
      const StatusCode code =
          why.rfind("needs ", 0) == 0 && why.find("available") != std::string::npos
              ? StatusCode::kInsufficientPoints
              : StatusCode::kRewardRefused;
      if (list_refused) {
        refuse(id, code, why);
        continue;
      }
      return Status(code, "reward '" + id + "': " + why);
    }
    const Pricing p = Discount(*r, basket, net, keys);
    if (r->kind != RewardKind::kVoucher && p.total == 0) {
      if (list_refused) {
        refuse(id, StatusCode::kRewardRefused, "nothing in this basket it applies to");
        continue;
      }
      return Status(StatusCode::kRewardRefused,
                    "reward '" + id + "': nothing in this basket it applies to");
    }
    for (size_t i = 0; i < n; ++i) {
      net[i] -= p.discounts[i];
      quote.line_discounts[i] += p.discounts[i];
      free_units[i] += p.free_units[i];
    }
    quote.discount_minor += p.total;
    cost += r->cost;
    const bool line_bound =
        r->kind == RewardKind::kLinesAmount || r->kind == RewardKind::kLinesPercent ||
        r->kind == RewardKind::kCheapestFree || r->kind == RewardKind::kFreeProduct;
    quote.applied.push_back({r->id, r->cost, line_bound, p.discounts});
    if (!r->stamp_card.empty()) {
      stamps_spent[r->stamp_card] += program.FindStampCard(r->stamp_card)->needed;
    }
    quote.lines.push_back({r->id, -r->cost,
                           DescribeReward(*r, program.currency) + " for " +
                               Price(program, *r)});
  }
  // Coupons: like rewards at no points cost.
  for (size_t k = 0; k < coupons.size(); ++k) {
    const Reward* coupon = program.FindCoupon(coupons[k]);
    if (coupon == nullptr) {
      return Status(StatusCode::kInvalidArgument,
                    "coupons[" + std::to_string(k) + "]: '" + coupons[k] +
                        "' is not a coupon of this program");
    }
    const std::string why = WhyNot(program, *coupon, context, tier_id, 0);
    if (!why.empty()) {
      return Status(StatusCode::kInvalidArgument, "coupon '" + coupon->id + "': " + why);
    }
    const Pricing p = Discount(*coupon, basket, net, keys);
    if (p.total == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "coupon '" + coupon->id + "': nothing in this basket it applies to");
    }
    for (size_t i = 0; i < n; ++i) {
      net[i] -= p.discounts[i];
      quote.line_discounts[i] += p.discounts[i];
      free_units[i] += p.free_units[i];
    }
    quote.discount_minor += p.total;
    quote.lines.push_back({coupon->id, 0, "coupon: " + DescribeReward(*coupon, program.currency)});
  }
  if (tender_points < 0) {
    return Status(StatusCode::kAmountNegative,
                  "redeem_points: " + std::to_string(tender_points) + " is negative");
  }
  if (tender_points > 0) {
    if (program.point_value_minor == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "redeem_points: program '" + program.id +
                        "' does not take points as a tender (no tender.point_value)");
    }
    if (context.available - cost < tender_points) {
      return Status(StatusCode::kInsufficientPoints,
                    "points: " + std::to_string(tender_points + cost) + " asked, " +
                        std::to_string(std::max<Points>(context.available, 0)) +
                        " available");
    }
    const auto value = CheckedMul(tender_points, program.point_value_minor);
    std::int64_t left = 0;
    for (auto v : net) left += v;
    if (!value || *value > left) {
      return Status(StatusCode::kInvalidArgument,
                    "redeem_points: " + PointsText(tender_points) + " are worth more than the " +
                        Money(left, program.currency).ToString() + " left to pay");
    }
    const auto share = Allocate(*value, net);
    for (size_t i = 0; i < n; ++i) {
      net[i] -= share[i];
      quote.line_discounts[i] += share[i];
    }
    quote.discount_minor += *value;
    cost += tender_points;
    quote.lines.push_back({"tender", -tender_points,
                           PointsText(tender_points) + " paid " +
                               Money(*value, program.currency).ToString()});
  }
  quote.points_to_spend = cost;

  // Earn rules, in order.
  quote.line_points.assign(n, 0);
  std::int64_t net_total = 0;
  for (auto v : net) net_total += v;
  // What each distinct set of lines holds, worked out once: the net
  // amounts do not change while the rules run. Rules over the same lines,
  // weighed the same way, also share one split of their points.
  struct Lines {
    bool ready = false;
    std::int64_t eligible = 0;
    std::int64_t items = 0;
    std::vector<std::int64_t> by_amount;
    std::vector<std::int64_t> by_quantity;
    Points amount_points = 0;
    Points quantity_points = 0;
  };
  std::vector<Lines> line_sets(static_cast<size_t>(program.filter_count));
  // Said once per quote, not once per rule.
  const std::string tier_text =
      tier_permille != kPermille ? " (" + tier_id + " " + Factor(tier_permille) + ")" : "";
  quote.lines.reserve(quote.lines.size() + program.rules.size() + 4);
  for (const EarnRule& rule : program.rules) {
    if (!InForce(rule, context, tier_id)) continue;
    if (net_total < rule.min_basket_minor) continue;
    Lines& set = line_sets[static_cast<size_t>(rule.lines.filter_id)];
    if (!set.ready) {
      set.by_amount.assign(n, 0);
      set.by_quantity.assign(n, 0);
      for (size_t i = 0; i < n; ++i) {
        const BasketLine& l = basket.lines[i];
        if (l.voided || excluded[i]) continue;
        if (!rule.lines.Matches(keys[i].product, keys[i].category)) continue;
        set.eligible += net[i];
        set.items += l.quantity;
        set.by_amount[i] = net[i];
        set.by_quantity[i] = l.quantity;
      }
      set.ready = true;
    }
    const std::int64_t eligible = set.eligible;
    const std::int64_t items = set.items;
    const bool applies = rule.type == RuleType::kItem ? items > 0 : eligible > 0;
    if (!applies) continue;
    std::optional<Points> points;
    std::string how;
    how.reserve(96);
    switch (rule.type) {
      case RuleType::kSpend: {
        points = SpendPoints(eligible, rule, tier_permille);
        how = rule.how;
        how += tier_text;
        how += " on ";
        AppendMoney(how, eligible, program.currency);
        break;
      }
      case RuleType::kVisit:
        points = rule.points;
        AppendPoints(how, rule.points);
        how += " for the visit";
        break;
      case RuleType::kItem:
        points = CheckedMul(rule.points, items);
        how = PointsText(rule.points) + " per item x " + std::to_string(items);
        break;
    }
    if (!points) {
      return Status(StatusCode::kAmountOverflow, "rules '" + rule.id + "': points overflow");
    }
    if (rule.max_points && *points > *rule.max_points) {
      *points = *rule.max_points;
      how += ", capped at " + PointsText(*rule.max_points);
    }
    Points& share = rule.type == RuleType::kItem ? set.quantity_points : set.amount_points;
    auto grouped = CheckedAdd(share, *points);
    if (!grouped) return Status(StatusCode::kAmountOverflow, "points for the basket overflow");
    share = *grouped;
    auto total = CheckedAdd(quote.points_to_earn, *points);
    if (!total) return Status(StatusCode::kAmountOverflow, "points for the basket overflow");
    quote.points_to_earn = *total;
    quote.eligible_minor = std::max(quote.eligible_minor, eligible);
    std::string text = rule.explain.empty() ? std::move(how) : std::string(rule.explain);
    text += ": ";
    AppendPoints(text, *points);
    quote.lines.push_back({rule.id, *points, std::move(text)});
    if (!rule.issue_coupon.empty()) quote.coupons_to_issue.push_back(rule.issue_coupon);
    if (rule.stop) break;
  }

  for (const Lines& set : line_sets) {
    if (set.amount_points > 0) AllocateInto(set.amount_points, set.by_amount, quote.line_points);
    if (set.quantity_points > 0) {
      AllocateInto(set.quantity_points, set.by_quantity, quote.line_points);
    }
  }

  // Stamps: one per unit (or per visit) of matching lines still paid for;
  // reward lines collect nothing.
  quote.line_stamps.assign(n, 0);
  for (const StampCard& card : program.stamp_cards) {
    std::vector<std::int64_t> units(n, 0);
    std::int64_t total_units = 0;
    for (size_t i = 0; i < n; ++i) {
      const BasketLine& l = basket.lines[i];
      if (l.voided || net[i] <= 0 || !card.lines.Matches(keys[i].product, keys[i].category)) {
        continue;
      }
      units[i] = std::max<std::int64_t>(0, l.quantity - free_units[i]);
      total_units += units[i];
    }
    const std::int64_t collected = card.per_visit ? (total_units > 0 ? 1 : 0) : total_units;
    const auto share = card.per_visit ? Allocate(collected, units) : units;
    for (size_t i = 0; i < n; ++i) quote.line_stamps[i] += share[i];
    StampProgress progress;
    progress.card = card.id;
    progress.collected = collected;
    progress.spent = stamps_spent.count(card.id) ? stamps_spent[card.id] : 0;
    const auto have = context.stamps.find(card.id);
    progress.balance = (have == context.stamps.end() ? 0 : have->second) + collected -
                       progress.spent;
    progress.needed = card.needed;
    progress.reward = card.reward;
    if (collected > 0) {
      quote.lines.push_back({card.id, 0,
                             std::to_string(collected) + (collected == 1 ? " stamp" : " stamps") +
                                 " on the " + card.id + " card: " +
                                 std::to_string(progress.balance) + " of " +
                                 std::to_string(card.needed)});
    }
    quote.stamps.push_back(std::move(progress));
  }

  // Caps: per receipt, then what is left of the day's.
  std::optional<Points> cap = program.cap_per_receipt;
  std::string cap_text = "per receipt";
  if (program.cap_per_day) {
    const Points left = std::max<Points>(0, *program.cap_per_day - context.earned_today);
    if (!cap || left < *cap) {
      cap = left;
      cap_text = "per day";
    }
  }
  if (cap && quote.points_to_earn > *cap) {
    const Points cut = quote.points_to_earn - *cap;
    quote.line_points = Allocate(*cap, quote.line_points);
    quote.points_to_earn = *cap;
    quote.lines.push_back({"cap", -cut, "capped at " + PointsText(*cap) + " " + cap_text +
                                            ": " + PointsText(-cut)});
  }
  return quote;
}

Result<Quote> QuoteEarn(const Program& program, const Basket& basket) {
  return Evaluate(program, basket, Context{});
}

}  // namespace loyalty::engine
