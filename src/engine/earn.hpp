// What a basket earns and what the card could spend on it: pure arithmetic
// on the program, the basket and the account's state.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/program.hpp"
#include "loyalty/basket.hpp"
#include "loyalty/quote.hpp"
#include "loyalty/status.hpp"

namespace loyalty::engine {

// The store's local time of the sale (the terminal converts from UTC with
// the program's time zone; the engine reads no clock).
struct LocalTime {
  std::int64_t day = 0;  // days since 1970-01-01 in the store's zone
  int weekday = 4;       // 0 = Sunday; 1970-01-01 was a Thursday
  int minute = 0;        // minutes after local midnight
};

// Everything about the card and the till the rules may look at.
struct Context {
  LocalTime local;
  std::string store_id;
  std::string terminal_id;
  std::int64_t tier_measure = 0;   // rolling spend or points over the tier window
  // The measure on the last evaluation date, for programs that keep a tier
  // until the next one; nullopt for rolling tiers.
  std::optional<std::int64_t> tier_measure_at_evaluation;
  std::string segment;             // new, regular, loyal, lapsing
  Points earned_today = 0;         // for the per-day cap
  Points available = 0;            // spendable points now
  std::map<std::string, std::int64_t> reward_uses;   // by this account
  // By this account within each reward's per_period window.
  std::map<std::string, std::int64_t> reward_uses_in_period;
  std::map<std::string, std::int64_t> reward_stock_used;  // on this terminal
  std::map<std::string, std::int64_t> stamps;  // balance per stamp card
};

// The tier an account holds for a measure; empty without tiers.
const Tier* TierFor(const Program& program, std::int64_t measure);
// The tier the account holds now: the better of what it earns now and what
// it earned on the last evaluation date.
const Tier* HeldTier(const Program& program, const Context& context);

// Validates the basket (currency, amounts) and evaluates the program: reward
// options, the chosen rewards' discounts and cost, points per rule and per
// line. Errors: kCurrencyMismatch, kAmountNegative, kAmountOverflow; for a
// chosen reward that the card cannot take, kRewardRefused naming it (or
// kInsufficientPoints); with OnRefusedReward::kList such a reward is
// listed in Quote::refused_rewards and left out instead (what a quote
// shows; a commit fails).
// `tender_points` are points paid as a tender at the program's point value;
// they, like reward discounts, lower what the basket earns on.
// `coupons` are coupon ids the terminal resolved from presented codes.
enum class OnRefusedReward { kFail, kList };
Result<Quote> Evaluate(const Program& program, const Basket& basket, const Context& context,
                       const std::vector<std::string>& chosen_rewards = {},
                       Points tender_points = 0,
                       const std::vector<std::string>& coupons = {},
                       OnRefusedReward on_refused = OnRefusedReward::kFail);

// The catalog as it stands for a card, before any basket.
std::vector<RewardOption> RewardOptions(const Program& program, const Context& context);

// The earn rule set alone on a basket with no account: the simplest quote.
Result<Quote> QuoteEarn(const Program& program, const Basket& basket);

}  // namespace loyalty::engine
