// The Ledger's prepared statements. Internal to src/ledger/.
#pragma once

#include "ledger/database.hpp"
#include "ledger/ledger.hpp"

namespace loyalty::ledger {

// Every statement is prepared once, here, beside the table it serves.
struct Ledger::Statements {
  Statement find_op, save_op;
  Statement find_card, find_account, insert_account, insert_card, set_blocked,
      masked_card;
  Statement open_lots, lot_by_id, insert_lot, update_lot, update_account;
  Statement insert_move, moves_of, given_back, expired_accounts, inactive_accounts;
  Statement read_head, write_head, insert_entry, entries_of_op, reversals_of,
      history, entry_count;
};

struct Ledger::ActivityStatements {
  Statement activity, earned, insert_line, lines, set_returned, insert_use, reverse_uses,
      uses, stock, codes, stamps, has_ref, insert_hold, find_hold, set_hold, open_holds,
      insert_coupon, find_coupon, insert_coupon_use, take_coupon_use, reverse_coupon_uses,
      return_coupon_uses, coupon_uses, coupons_issued, revoke_coupons, find_gift_card,
      insert_gift_card, stored_value, loaded_after, uses_since, card_points;
};

struct Ledger::ReturnStatements {
  Statement insert_reward_line, reward_lines, reverse_use, expired_from_lot,
      mark_lines_returned,
      last_activity;
};

}  // namespace loyalty::ledger
