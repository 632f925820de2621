// The till report: what loyalty did at this terminal over a window of
// time (typically a business day), in total and per cashier.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/card.hpp"
#include "loyalty/money.hpp"

namespace loyalty {

// A sale made without a loyalty card, so the report can compare members
// with everyone else. Idempotent on op_id like every POS operation.
struct AnonymousSale {
  std::string op_id;
  std::string currency;          // ISO 4217, must be the program's
  std::int64_t amount_minor = 0; // what the customer paid, >= 0
  std::string cashier_id;        // optional
};

// What points are worth in money: `minor` minor units of the program's
// currency per `points` points. {1, 1}: a point is worth a cent; {1, 2}: two
// points a cent. minor = 0: the program's tender.point_value per point when
// it sets one, else unknown: the report then shows the liability in points
// and 0 in money.
struct PointValue {
  std::int64_t minor = 0;
  Points points = 1;
};

// The figures of the report, for the whole till or one cashier. Every
// figure counts ledger entries (or anonymous sales) whose time is inside
// the window [from, to); operations carry the cashier given with them.
//
// Reconciliation: points_issued - points_redeemed - points_expired -
// points_reversed_earned + points_reversed_redeemed + points_adjusted is
// exactly the sum of all ledger entries' points in the window.
struct TillFigures {
  std::string cashier_id;             // "" for the total and unattributed work
  Points points_issued = 0;           // earn entries: sales, sign-up, events
  Points points_redeemed = 0;         // redeem entries (rewards, tender), positive
  Points points_expired = 0;          // expire entries, positive
  Points points_reversed_earned = 0;  // earned points taken back by refunds/voids
  Points points_reversed_redeemed = 0;// redeemed points given back by refunds/voids
  Points points_adjusted = 0;         // manual adjustments, signed net
  std::int64_t rewards_given = 0;     // catalog rewards taken at sales, not reversed
  std::int64_t member_sales = 0;      // sales with a card
  std::int64_t member_sales_minor = 0;     // what they paid (after loyalty discounts)
  std::int64_t anonymous_sales = 0;        // RecordAnonymousSale
  std::int64_t anonymous_sales_minor = 0;
  // member_sales * 10000 / (member_sales + anonymous_sales), rounded down;
  // 0 without sales.
  std::int64_t card_share_bp = 0;
  std::int64_t average_member_basket_minor = 0;     // rounded down; 0 without
  std::int64_t average_anonymous_basket_minor = 0;  // rounded down; 0 without
  std::int64_t new_members = 0;       // accounts whose first enrolment is here, in the window
  std::int64_t redemptions = 0;       // operations that wrote a redeem entry
  std::int64_t active_members = 0;    // accounts with an earn or redeem entry of a sale or redemption
  // redemptions * 10000 / active_members, rounded down; 0 without members.
  std::int64_t activation_rate_bp = 0;
  std::int64_t coupons_used = 0;           // coupon codes taken at sales, not given back
  // Money on gift cards and e-wallets (minor units), from their entries:
  // loaded = loads and refunds back onto them; spent = paid with them;
  // voided = taken back from loads by Terminal::VoidLoad (what the till
  // took in for them is loaded - voided).
  std::int64_t gift_card_loaded_minor = 0;
  std::int64_t gift_card_spent_minor = 0;
  std::int64_t wallet_loaded_minor = 0;
  std::int64_t wallet_spent_minor = 0;
  std::int64_t load_voids = 0;  // VoidLoad operations, gift cards and wallets
  std::int64_t gift_card_voided_minor = 0;
  std::int64_t wallet_voided_minor = 0;
};

struct TillReportData {
  std::string terminal_id;
  std::string store_id;
  Timestamp from{};  // included
  Timestamp to{};    // excluded
  std::string currency;
  // The points the program owes at `to`: the sum over accounts of their
  // balance at that time when positive (debt is not netted against other
  // customers' points). Pending points count; points past their expiry
  // date count until an expiry run writes their entry.
  Points outstanding_points = 0;
  // outstanding_points * value.minor / value.points, rounded down.
  std::int64_t outstanding_minor = 0;
  PointValue point_value;
  bool sync_built = false;            // true since the sync module exists (kept for the ABI)
  std::int64_t unsynced_entries = 0;  // entries the central server has not acknowledged
  TillFigures total;
  std::vector<TillFigures> cashiers;  // by cashier id; "" (unattributed) first
};

// Renderings for a screen or printer (fixed-width text) and for machines
// (JSON, keys as in the structs above, times in UTC milliseconds).
std::string TillReportText(const TillReportData& report);
std::string TillReportJson(const TillReportData& report);

}  // namespace loyalty
