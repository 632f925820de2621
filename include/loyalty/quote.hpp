// What a basket would earn and which rewards the card could take, computed
// without writing anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/money.hpp"

namespace loyalty {

// One figure of the quote and the sentence a cashier can read aloud.
struct QuoteLine {
  std::string rule;         // id of the rule (or "cap", "tier") that produced it
  Points points = 0;
  std::string explanation;  // "2x points on dairy this week: 8 points"
};

// A reward of the catalog as it stands for this card and this basket.
struct RewardOption {
  std::string reward_id;
  std::string name;
  Points cost = 0;
  std::int64_t discount_minor = 0;  // what it would take off this basket
  bool available = false;           // the card can take it now
  std::string why_not;              // when not available: "needs tier gold"
  std::string explanation;          // "5.00 EUR off the order for 500 points"
};

// A stamp card ("every 10th coffee free") as this basket leaves it.
struct StampProgress {
  std::string card;           // the stamp card's id
  std::int64_t collected = 0; // stamps this basket adds
  std::int64_t spent = 0;     // stamps this basket's rewards use
  std::int64_t balance = 0;   // stamps on the card afterwards
  std::int64_t needed = 0;    // stamps that make the reward
  std::string reward;         // the reward they make
};

// A chosen reward as it applies to this basket. A reward bound to lines
// (a free product, an amount or percent off products, the cheapest item
// free) comes back on a return only with the lines it discounted; an
// order-level one (an amount or percent off the order, a voucher) comes
// back in proportion of the money returned, like points paid as a tender.
struct AppliedReward {
  std::string reward_id;
  Points cost = 0;                           // points it costs
  bool line_bound = false;
  std::vector<std::int64_t> line_discounts;  // per basket line, minor units off
};

// A reward asked for that the card cannot take: a quote lists it (and
// leaves it out of its figures) where a commit fails with `code`.
struct RefusedReward {
  std::string reward_id;
  StatusCode code = StatusCode::kRewardRefused;  // or kInsufficientPoints
  std::string reason;  // "needs tier gold", "needs 500 points, 300 points available"
};

struct TierProgress {
  std::string tier;           // current tier, empty without tiers
  std::string next_tier;      // empty at the top
  std::int64_t measure = 0;   // rolling spend (minor units) or points earned
  std::int64_t to_next = 0;   // what is missing to reach next_tier
};

struct Quote {
  std::string currency;
  std::int64_t basket_minor = 0;    // sum of non-voided lines before rewards
  std::int64_t discount_minor = 0;  // taken off by the chosen rewards
  std::int64_t eligible_minor = 0;  // what earn rules counted (after discounts, exclusions)
  Points points_to_earn = 0;
  Points points_to_spend = 0;       // cost of the chosen rewards
  std::vector<Points> line_points;  // per basket line, summing to points_to_earn
  std::vector<std::int64_t> line_discounts;  // per basket line
  std::vector<QuoteLine> lines;     // per rule, cap and bonus
  std::vector<RewardOption> rewards;
  std::vector<AppliedReward> applied;  // the chosen rewards, in the order applied
  std::vector<StampProgress> stamps;
  std::vector<std::int64_t> line_stamps;  // per basket line
  std::vector<std::string> coupons_to_issue;  // coupon ids rules will issue codes for
  std::vector<RefusedReward> refused_rewards;  // asked for, left out: see RefusedReward
  TierProgress tier;
  std::string segment;              // new, regular, loyal or lapsing
};

}  // namespace loyalty
