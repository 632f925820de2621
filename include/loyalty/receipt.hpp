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

namespace loyalty {

// Put a card on a new account (account_id empty) or an existing one.
struct Enrollment {
  std::string op_id;
  CardId card;
  std::string account_id;  // empty: open a new account
  std::string name;        // holder's name for a new account
};

// A sale: earn on the basket, and optionally spend points on it.
struct Checkout {
  std::string op_id;
  CardId card;
  Basket basket;
  Points redeem_points = 0;  // points spent on this sale, 0 for none
};

// Points spent outside a sale (a reward handed over the counter).
struct Redemption {
  std::string op_id;
  CardId card;
  Points points = 0;
  std::string reason;  // what was given, shown in history
};

// A return of goods from an earlier sale. `amount_minor` of the sale's
// total is returned (all of what is left when nullopt). Earned points are
// taken back and redeemed points given back in the same proportion; a
// shortfall of earned points already spent becomes debt, never a cap.
struct RefundRequest {
  std::string op_id;
  std::string sale_op_id;
  std::optional<std::int64_t> amount_minor;
};

// Undo an operation made by mistake (a sale, redemption or adjustment):
// everything of it not yet reversed is reversed.
struct VoidRequest {
  std::string op_id;
  std::string target_op_id;
  std::string operator_id;
  std::string reason;
};

// A manual correction of a balance by staff.
struct Adjustment {
  std::string op_id;
  CardId card;
  Points points = 0;         // signed; non-zero
  std::string operator_id;  // who did it; required
  std::string reason;       // why; required
};

// Block or unblock a card (lost, stolen, misuse). Recorded in the ledger.
struct CardBlock {
  std::string op_id;
  CardId card;
  bool blocked = true;
  std::string operator_id;
  std::string reason;
};

// What an operation did.
struct Receipt {
  std::string op_id;
  std::string account_id;
  std::string card_masked;
  Points earned = 0;    // credited by this operation (negative for reversals)
  Points redeemed = 0;  // debited by this operation (negative when given back)
  std::vector<std::int64_t> entry_seqs;  // ledger entries written
  CardView after;       // the account as it stood right after the operation
  bool replayed = false;  // true when this is the stored first result
};

}  // namespace loyalty
