// The program in force: what the loyalty team configured, as the engine
// reads it. Built only by ParseProgram(), so every field is valid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/checked.hpp"
#include "loyalty/money.hpp"

namespace loyalty::engine {

using internal::Rounding;

// A rate as a fraction: multipliers like 1.5 are 1500/1000, never a double.
inline constexpr std::int64_t kPermille = 1000;

// Which lines a rule or reward applies to. Empty lists mean "any".
struct LineFilter {
  std::vector<std::string> products;
  std::vector<std::string> categories;
  // The same names as indexes into the program's name tables (Intern()), so
  // the hot loop compares integers, not strings.
  std::vector<int> product_keys;
  std::vector<int> category_keys;
  int filter_id = -1;  // filters naming the same lines share an id (Intern())
  bool Matches(const std::string& sku, const std::string& category) const;
  bool Matches(int product_key, int category_key) const {
    if (Any()) return true;
    for (int k : product_keys) {
      if (k == product_key) return true;
    }
    for (int k : category_keys) {
      if (k == category_key) return true;
    }
    return false;
  }
  bool Any() const { return products.empty() && categories.empty(); }
};

// When a rule is in force, in the store's local time.
struct Window {
  std::vector<int> weekdays;          // 0 = Sunday … 6 = Saturday; empty: every day
  std::optional<int> from_minute;     // minutes after local midnight
  std::optional<int> until_minute;    // exclusive
  std::optional<std::int64_t> from_day;   // days since 1970-01-01, local
  std::optional<std::int64_t> until_day;  // inclusive
};

// Who a rule or reward is for.
struct Audience {
  std::vector<std::string> tiers;
  std::vector<std::string> segments;
  std::vector<std::string> stores;
  std::vector<std::string> terminals;
};

enum class RuleType { kSpend, kVisit, kItem };

struct EarnRule {
  std::string id = "base";
  RuleType type = RuleType::kSpend;
  Points points = 1;              // per `per_minor` spent, per visit, or per item
  std::int64_t per_minor = 100;   // spend rules only
  std::int64_t multiplier_permille = kPermille;
  Rounding rounding = Rounding::kDown;
  LineFilter lines;
  Window when;
  Audience audience;
  std::int64_t min_basket_minor = 0;
  std::optional<Points> max_points;  // cap on this rule per receipt
  bool stop = false;                 // when it applies, later rules do not run
  std::string issue_coupon;          // a coupon id: a code for the next visit
  std::string explain;               // what the cashier reads aloud
  std::string how;                   // "2 points per 1.00 EUR 1.5x", made by Intern()
};

struct Tier {
  std::string id;
  std::int64_t threshold = 0;  // minor units of spend, or points earned
  std::int64_t multiplier_permille = kPermille;  // on spend rules
};

enum class TierMeasure { kSpend, kPoints };

struct TierPlan {
  TierMeasure measure = TierMeasure::kSpend;
  int window_days = 365;
  // Rolling (0): the tier follows the measure at every swipe. Otherwise the
  // tier earned on the last evaluation date (start of the month, quarter or
  // year) is kept until the next one: promotion at once, demotion only then.
  int evaluation_months = 0;
  std::vector<Tier> levels;  // ascending thresholds; levels[0] is the floor
};

// The customer segment a cashier sees at a swipe.
struct SegmentPlan {
  int new_days = 30;          // enrolled within: "new"
  int window_days = 90;       // visits counted over
  int loyal_visits = 8;       // at least this many visits: "loyal"; else "regular"
  int lapsing_days = 60;      // no visit for this long: "lapsing"
};

enum class RewardKind {
  kOrderAmount,    // fixed amount off the order
  kOrderPercent,   // percent off the order
  kLinesAmount,    // fixed amount off matching lines
  kLinesPercent,   // percent off matching lines
  kCheapestFree,   // the cheapest matching unit free
  kFreeProduct,    // one unit of a matching product free
  kVoucher,        // a code for a partner or a gift card, issued at commit
};

struct Reward {
  std::string id;
  std::string name;
  RewardKind kind = RewardKind::kOrderAmount;
  Points cost = 0;
  std::int64_t amount_minor = 0;   // kOrderAmount, kLinesAmount, kVoucher value
  std::int64_t percent = 0;        // kOrderPercent, kLinesPercent: 1..100
  LineFilter lines;
  std::string min_tier;            // empty: any tier
  std::optional<std::int64_t> valid_from_day;
  std::optional<std::int64_t> valid_until_day;
  std::optional<std::int64_t> per_customer;  // times one account may take it
  std::int64_t per_period_count = 0;         // times per account within...
  int per_period_days = 0;                   // ...this many days (0: no such limit)
  std::optional<std::int64_t> stock;         // on this terminal
  std::string stamp_card;  // paid with this card's stamps instead of points
  // Coupons only: a code anyone may present (empty: codes are issued), and
  // how long an issued code stays valid.
  std::string code;
  int valid_days = 30;
};

// "Every 10th coffee free": matching lines collect stamps; `needed` stamps
// pay for `reward`.
struct StampCard {
  std::string id;
  LineFilter lines;
  bool per_visit = false;  // one stamp per visit, else one per unit
  std::int64_t needed = 10;
  std::string reward;
};

struct Program {
  int format = 1;
  std::string id;
  std::int64_t version = 0;
  std::string name;
  Currency currency = *Currency::FromCode("EUR");
  std::string time_zone = "UTC";
  std::vector<EarnRule> rules;      // in the order they run
  LineFilter excluded;              // never earn: tobacco, gift cards, deposits
  std::optional<Points> cap_per_receipt;
  std::optional<Points> cap_per_day;
  Points signup_bonus = 0;
  Points birthday_bonus = 0;         // first sale in the birthday month, once a year
  Points referral_new_member = 0;    // on the new member's first sale
  Points referral_referrer = 0;      // to the member who referred them, same moment
  std::vector<std::pair<std::string, Points>> event_bonuses;  // "review" → 50
  std::optional<TierPlan> tiers;
  SegmentPlan segments;
  std::vector<Reward> rewards;
  std::vector<StampCard> stamp_cards;
  std::vector<Reward> coupons;  // taken by code, at no points cost
  int pending_days = 0;  // earned points wait this long (the return window)
  int expiry_days = 0;   // 0: points never expire (unless expire_at_end_of)
  // Points expire at the end of the period `expiry_periods_after` periods
  // after the one they were earned in ("end of next year").
  enum class Period { kNone, kMonth, kQuarter, kYear } expire_at_end_of = Period::kNone;
  int expiry_periods_after = 0;
  int hold_minutes = 15;    // a reservation left open this long is released
  int inactivity_days = 0;  // all points expire after this long without a sale; 0: never
  // Points as a tender: minor units one point is worth (0: not a tender).
  std::int64_t point_value_minor = 0;
  // Every product and category name the program mentions, numbered.
  std::unordered_map<std::string, int> product_index;
  std::unordered_map<std::string, int> category_index;
  int filter_count = 0;  // distinct rule filters (LineFilter::filter_id)
  // Numbers the names of every filter; ParseProgram calls it.
  void Intern();
  int ProductKey(const std::string& sku) const {
    auto it = product_index.find(sku);
    return it == product_index.end() ? -1 : it->second;
  }
  int CategoryKey(const std::string& category) const {
    auto it = category_index.find(category);
    return it == category_index.end() ? -1 : it->second;
  }
  struct CardNumberFormat {
    int min_length = 4;
    int max_length = 64;
    std::vector<std::string> prefixes;  // empty: any
    bool luhn = false;
    bool allow_payment_cards = false;   // Luhn-valid 13-19 digit numbers
  } cards;

  const Reward* FindReward(const std::string& reward_id) const;
  const Tier* FindTier(const std::string& tier_id) const;
  const StampCard* FindStampCard(const std::string& card_id) const;
  const Reward* FindCoupon(const std::string& coupon_id) const;
  const Reward* FindCouponByCode(const std::string& code) const;
};

using CardNumberFormat = Program::CardNumberFormat;

}  // namespace loyalty::engine
