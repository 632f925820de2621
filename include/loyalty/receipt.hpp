// Requests the POS makes and the receipts the library gives back.
//
// Every request carries `op_id`, the POS's own id for the operation
// (receipt number, transaction id). Sending the same op_id again returns
// the first receipt with `replayed = true` and writes nothing; the same
// op_id with different content fails with kDuplicateIdConflict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/basket.hpp"
#include "loyalty/card.hpp"
#include "loyalty/money.hpp"
#include "loyalty/quote.hpp"

namespace loyalty {

// Put a card on a new account (account_id empty) or an existing one.
struct Enrollment {
  std::string op_id;
  CardId card;
  std::string account_id;  // empty: open a new account
  std::string name;        // holder's name for a new account
  std::string birthday;    // "MM-DD" (or "YYYY-MM-DD"), optional: birthday bonus
  CardId referrer;         // optional: the member who brought this one
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// Part of a sale paid from a gift card.
struct GiftCardTender {
  CardId gift_card;
  std::int64_t amount_minor = 0;
};

// A sale: earn on the basket, take rewards, optionally pay with points.
struct Checkout {
  std::string op_id;
  CardId card;
  Basket basket;
  Points redeem_points = 0;          // points as a tender (program's tender.point_value)
  std::vector<std::string> rewards;  // reward ids taken on this sale, applied in order
  std::vector<std::string> coupons;  // coupon codes presented, applied after rewards
  // Money tenders: they pay, they do not lower what the basket earns.
  std::vector<GiftCardTender> gift_cards;
  std::int64_t wallet_minor = 0;     // paid from the member's e-wallet
  // Optional: who rang it up, for the till report. Not part of the content
  // an op_id replay compares (a retry from another till user is a replay).
  std::string cashier_id;
};

// Points spent outside a sale (a reward handed over the counter).
struct Redemption {
  std::string op_id;
  CardId card;
  Points points = 0;
  std::string reason;  // what was given, shown in history
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// A return of goods from an earlier sale. `amount_minor` of the sale's
// total is returned (all of what is left when nullopt). Earned points are
// taken back in the same proportion; points paid as a tender or for an
// order-level reward come back in proportion, points paid for a reward
// bound to lines (free product, line discount, cheapest item) only with
// those lines (docs/integration.md, "Refunds and debt"). A shortfall of
// earned points already spent becomes debt, never a cap; points that
// expired or were already taken back are not taken again.
struct ReturnLine {
  std::int64_t line_no = 0;   // index of the line in the sale's basket
  std::int64_t quantity = 0;  // units returned
};

// Either an amount (all that is left when nullopt and `lines` is empty) or
// the lines returned: then the points those lines earned are taken back
// exactly, line by line, bonuses included.
struct RefundRequest {
  std::string op_id;
  std::string sale_op_id;
  std::optional<std::int64_t> amount_minor;
  std::vector<ReturnLine> lines;
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// An exchange at the service desk: lines of an earlier sale come back and
// the customer buys something else, in one operation (Terminal::Exchange).
struct ExchangeRequest {
  std::string op_id;
  std::string sale_op_id;            // the sale the goods came from
  std::vector<ReturnLine> returned;  // its lines brought back; required
  // What is bought instead, on a card of the sale's account. Its op_id is
  // the exchange's (leave it empty); cashier_id is taken from here.
  Checkout purchase;
};

// Undo an operation made by mistake (a sale, redemption or adjustment):
// everything of it not yet reversed is reversed.
struct VoidRequest {
  std::string op_id;
  std::string target_op_id;
  std::string operator_id;
  std::string reason;
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// A manual correction of a balance by staff.
struct Adjustment {
  std::string op_id;
  CardId card;
  Points points = 0;         // signed; non-zero
  std::string operator_id;  // who did it; required
  std::string reason;       // why; required
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// Block or unblock a card (lost, stolen, misuse). Recorded in the ledger.
struct CardBlock {
  std::string op_id;
  CardId card;
  bool blocked = true;
  std::string operator_id;
  std::string reason;
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// Something the customer did that the program rewards ("review", "survey"):
// the bonus is the program's bonuses.events entry.
struct CustomerEvent {
  std::string op_id;
  CardId card;
  std::string event;
  std::string cashier_id;  // optional: who rang it up, for the till report
};

// Money put on a gift card (sold or topped up) or in a member's e-wallet.
struct StoredValueLoad {
  std::string op_id;
  CardId card;  // the gift card's number, or the member's loyalty card
  std::int64_t amount_minor = 0;
};

// Money a load put on a gift card or wallet taken back (Terminal::VoidLoad):
// a load keyed by mistake, or a gift card returned unused.
struct LoadVoid {
  std::string op_id;
  std::string load_op_id;  // the op_id of the LoadGiftCard or TopUpWallet
  // nullopt: all of the load not taken back yet (a void); set: that much
  // of it (> 0; a partial refund, e.g. the customer keeps 20.00 of 50.00).
  std::optional<std::int64_t> amount_minor;
  std::string operator_id;  // who authorised it; required
  std::string reason;       // optional, kept in the entry's note
  std::string cashier_id;   // optional: who rang it up, for the till report
};

// Confirm or release a reservation made with Terminal::Reserve.
struct ReservationDecision {
  std::string op_id;
  std::string reservation_op_id;  // the op_id the reservation was made with
};

// What an operation did.
struct Receipt {
  std::string op_id;
  std::string account_id;
  std::string card_masked;
  Points earned = 0;    // credited by this operation (negative for reversals)
  Points redeemed = 0;  // debited by this operation (negative when given back)
  Points held = 0;      // for a reservation: points held until confirmed or released
  std::int64_t stored_value_minor = 0;  // money moved on gift cards and wallet (negative: paid)
  std::int64_t discount_minor = 0;  // taken off the basket by rewards and points
  std::vector<Points> line_points;  // for a sale: points per basket line
  std::vector<std::string> vouchers;  // codes issued by voucher rewards
  std::vector<std::string> coupons_issued;  // coupon codes for a next visit
  std::vector<StampProgress> stamps;  // stamp cards moved by this operation
  std::vector<QuoteLine> explanations;  // what a cashier reads aloud
  std::vector<std::int64_t> entry_seqs;  // ledger entries written
  CardView after;       // the account as it stood right after the operation
  bool replayed = false;  // true when this is the stored first result
};

// What an exchange did: each half as its own receipt. `bought.after` is
// the account once both halves are written.
struct ExchangeReceipt {
  Receipt returned;
  Receipt bought;
  bool replayed = false;  // true when this is the stored first result
};

}  // namespace loyalty
