// The stored receipt is written by hand for speed; its bytes must stay the
// ones the nlohmann::json tree gave, so receipts stored by earlier versions
// and by this one read back the same.
#include "terminal/receipt_json.hpp"

#include <gtest/gtest.h>

#include <random>

namespace loyalty {
namespace {

Receipt FullReceipt() {
  Receipt r;
  r.op_id = "receipt-1001";
  r.account_id = "acc-7";
  r.card_masked = "********0042";
  r.earned = 15;
  r.redeemed = -3;
  r.held = 7;
  r.stored_value_minor = -1250;
  r.discount_minor = 500;
  r.line_points = {12, 0, -4, INT64_MIN, INT64_MAX};
  r.vouchers = {"V1", "v\"2\\"};
  r.coupons_issued = {"NEXT10"};
  r.stamps = {{"coffee", 2, 0, 9, 10, "free-coffee"}};
  r.explanations = {{"base", 12, "1 point per 1.00 EUR: 12 points"},
                    {"tab\there", 3, "new\nline / slash \x01 control \x7f del"}};
  r.entry_seqs = {41, 42, 43};
  r.after.account_id = "acc-7";
  r.after.name = "Zoë Ünal 日本";
  r.after.card_masked = "********0042";
  r.after.available = -20;
  r.after.pending = 30;
  r.after.held = 7;
  r.after.wallet_minor = 990;
  r.after.balance = 17;
  r.after.tier = "gold";
  r.after.segment = "loyal";
  r.after.blocked = true;
  r.after.rewards = {{"r1", "5 off", 500, 500, true, "", "5.00 EUR off"},
                     {"r2", "mug", 900, 0, false, "needs tier \"platinum\"", ""}};
  r.after.stamps = {{"coffee", 0, 0, 9, 10, "free-coffee"}, {"tea", 0, 0, 0, 5, "t"}};
  return r;
}

TEST(ReceiptJsonTest, SameBytesAsTheJsonTree) {
  const Receipt empty;
  EXPECT_EQ(terminal::ReceiptToJson(empty), terminal::ReceiptToJsonTree(empty));
  const Receipt full = FullReceipt();
  EXPECT_EQ(terminal::ReceiptToJson(full), terminal::ReceiptToJsonTree(full));
  auto back = terminal::ReceiptFromJson(terminal::ReceiptToJson(full));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->after.name, full.after.name);
  EXPECT_EQ(back->explanations[1].explanation, full.explanations[1].explanation);
}

TEST(ReceiptJsonTest, SameBytesForEveryByteInText) {
  // Every single byte, alone and amid text, in every kind of string field.
  std::mt19937 random(7);
  for (int c = 0; c < 256; ++c) {
    Receipt r = FullReceipt();
    const std::string odd(1, static_cast<char>(c));
    r.after.name = odd;
    r.op_id = "a" + odd + "b";
    r.explanations[0].explanation = odd + odd;
    r.vouchers.push_back(odd);
    r.after.rewards[0].why_not = std::to_string(random()) + odd;
    std::string mine;
    std::string tree;
    bool mine_threw = false;
    bool tree_threw = false;
    try {
      mine = terminal::ReceiptToJson(r);
    } catch (...) {
      mine_threw = true;
    }
    try {
      tree = terminal::ReceiptToJsonTree(r);
    } catch (...) {
      tree_threw = true;
    }
    EXPECT_EQ(mine_threw, tree_threw) << "byte " << c;
    EXPECT_EQ(mine, tree) << "byte " << c;
  }
}

}  // namespace
}  // namespace loyalty
