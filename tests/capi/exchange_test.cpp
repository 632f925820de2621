// loyalty_exchange as a POS written in C calls it: goods of a sale back and
// other goods bought in one operation, a receipt for each half.
#include <gtest/gtest.h>

#include <string>

#include "capi_results.hpp"
#include "loyalty/loyalty.h"
#include "support/test_env.hpp"

namespace {

using loyalty::capi_testing::Int;
using loyalty::capi_testing::Item;
using loyalty::capi_testing::Owned;
using loyalty::capi_testing::Str;

// Product A is free for 40 points (a reward bound to its line).
const char* kProgram = R"({"format": 1, "id": "capi-exchange", "version": 1,
  "currency": "EUR", "earn": {"points": 1, "per": "1.00"},
  "tender": {"point_value": "0.01"},
  "rewards": [{"id": "free-a", "kind": "free_product", "cost": 40, "products": ["A"]}]})";

class CapiExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loyalty_options* options = nullptr;
    ASSERT_EQ(loyalty_options_new(&options), LOYALTY_OK);
    const std::string db = dir_.File("ledger.db");
    const std::string program = loyalty::testing::WriteFile(dir_.File("program.json"), kProgram);
    EXPECT_EQ(loyalty_options_set_database_path(options, db.c_str()), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_terminal_id(options, "till-9"), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_terminal_key(options, loyalty::testing::kTestKey.data(),
                                               loyalty::testing::kTestKey.size()),
              LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_program_path(options, program.c_str()), LOYALTY_OK);
    ASSERT_EQ(loyalty_open(options, &t_), LOYALTY_OK) << loyalty_last_error();
    loyalty_options_free(options);
    Owned ada;
    Owned grace;
    Owned welcome;
    ASSERT_EQ(loyalty_enroll(t_, "e1", "LC0001", nullptr, "Ada", nullptr, ada.out()),
              LOYALTY_OK);
    ASSERT_EQ(loyalty_enroll(t_, "e2", "LC0002", nullptr, "Grace", nullptr, grace.out()),
              LOYALTY_OK);
    ASSERT_EQ(loyalty_adjust(t_, "a1", "LC0001", 100, "mgr", "welcome", nullptr, welcome.out()),
              LOYALTY_OK);
    // The sale the goods come from: A at 4.00, free with the reward, and
    // B at 50.00. It spends 40 points and earns 50.
    loyalty_basket* sale = Basket({{"A", 400}, {"B", 5000}});
    ASSERT_EQ(loyalty_basket_add_reward(sale, "free-a"), LOYALTY_OK);
    Owned sold;
    ASSERT_EQ(loyalty_commit(t_, "s1", "LC0001", sale, "maria", sold.out()), LOYALTY_OK)
        << loyalty_last_error();
    loyalty_basket_free(sale);
    ASSERT_EQ(Int(sold.get(), LOYALTY_RECEIPT_REDEEMED), 40);
    ASSERT_EQ(Int(sold.get(), LOYALTY_RECEIPT_EARNED), 50);
  }
  void TearDown() override { loyalty_close(t_); }

  struct Line {
    const char* sku;
    std::int64_t amount_minor;
  };
  static loyalty_basket* Basket(std::initializer_list<Line> lines) {
    loyalty_basket* b = nullptr;
    EXPECT_EQ(loyalty_basket_new("EUR", &b), LOYALTY_OK);
    for (const Line& line : lines) {
      EXPECT_EQ(loyalty_basket_add_line(b, line.sku, "food", 1, line.amount_minor), LOYALTY_OK);
    }
    return b;
  }

  std::int64_t Balance(const char* card) {
    Owned view;
    EXPECT_EQ(loyalty_balance(t_, card, view.out()), LOYALTY_OK) << loyalty_last_error();
    return Int(view.get(), LOYALTY_BALANCE_BALANCE);
  }

  loyalty::testing::ScratchDir dir_;
  loyalty_terminal* t_ = nullptr;
};

// The customer brings B back, keeps the free A and takes C at 30.00: B's
// 50 points go, the 40 points A cost stay spent, C earns 30.
TEST_F(CapiExchangeTest, ReturnsAndBuysInOneOperationWithAReceiptPerHalf) {
  ASSERT_EQ(Balance("LC0001"), 110);
  const std::int64_t lines[] = {1};
  const std::int64_t units[] = {1};
  loyalty_basket* instead = Basket({{"C", 3000}});
  Owned done;
  ASSERT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0001", instead, "maria",
                             done.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  int kind = 0;
  ASSERT_EQ(loyalty_result_kind_of(done.get(), &kind), LOYALTY_OK);
  EXPECT_EQ(kind, LOYALTY_KIND_EXCHANGE);
  EXPECT_EQ(Str(done.get(), LOYALTY_EXCHANGE_OP_ID), "x1");
  EXPECT_EQ(Int(done.get(), LOYALTY_EXCHANGE_REPLAYED), 0);
  size_t halves = 0;
  ASSERT_EQ(loyalty_result_count(done.get(), LOYALTY_EXCHANGE_RETURNED, &halves), LOYALTY_OK);
  EXPECT_EQ(halves, 1u);
  const loyalty_result* returned = Item(done.get(), LOYALTY_EXCHANGE_RETURNED, 0);
  const loyalty_result* bought = Item(done.get(), LOYALTY_EXCHANGE_BOUGHT, 0);
  ASSERT_NE(returned, nullptr);
  ASSERT_NE(bought, nullptr);
  EXPECT_EQ(Str(returned, LOYALTY_RECEIPT_OP_ID), "x1");
  EXPECT_EQ(Int(returned, LOYALTY_RECEIPT_EARNED), -50);
  EXPECT_EQ(Int(returned, LOYALTY_RECEIPT_REDEEMED), 0) << "A was kept: its 40 points stay spent";
  EXPECT_EQ(Str(bought, LOYALTY_RECEIPT_OP_ID), "x1");
  EXPECT_EQ(Int(bought, LOYALTY_RECEIPT_EARNED), 30);
  EXPECT_EQ(Int(Item(bought, LOYALTY_RECEIPT_CARD, 0), LOYALTY_CARD_BALANCE), 90);
  EXPECT_EQ(Balance("LC0001"), 90);

  // The POS retries after a timeout: both halves as first given, nothing written.
  Owned again;
  ASSERT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0001", instead, "bob",
                             again.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(again.get(), LOYALTY_EXCHANGE_REPLAYED), 1);
  EXPECT_EQ(Int(Item(again.get(), LOYALTY_EXCHANGE_RETURNED, 0), LOYALTY_RECEIPT_EARNED), -50);
  EXPECT_EQ(Int(Item(again.get(), LOYALTY_EXCHANGE_BOUGHT, 0), LOYALTY_RECEIPT_EARNED), 30);
  EXPECT_EQ(Balance("LC0001"), 90);
  // The same op_id for another basket is a conflict, not a second exchange.
  loyalty_basket* other = Basket({{"D", 1000}});
  Owned conflict;
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0001", other, nullptr,
                             conflict.out()),
            LOYALTY_DUPLICATE_ID_CONFLICT);
  EXPECT_EQ(conflict.get(), nullptr);
  loyalty_basket_free(other);
  loyalty_basket_free(instead);

  // C comes back by the exchange's op_id; then A, and the reward's 40 with it.
  const std::int64_t first[] = {0};
  Owned back_c;
  ASSERT_EQ(loyalty_refund_lines(t_, "rf1", "x1", first, units, 1, nullptr, back_c.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(back_c.get(), LOYALTY_RECEIPT_EARNED), -30);
  Owned back_a;
  ASSERT_EQ(loyalty_refund_lines(t_, "rf2", "s1", first, units, 1, nullptr, back_a.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(back_a.get(), LOYALTY_RECEIPT_REDEEMED), -40);
  EXPECT_EQ(Balance("LC0001"), 100) << "everything back: the card as before the sale";
  Owned verify;
  ASSERT_EQ(loyalty_verify(t_, nullptr, nullptr, verify.out()), LOYALTY_OK);
  EXPECT_EQ(Int(verify.get(), LOYALTY_VERIFY_OK), 1) << Str(verify.get(), LOYALTY_VERIFY_PROBLEM);
}

// A purchase the card cannot pay leaves the goods unreturned too.
TEST_F(CapiExchangeTest, APurchaseThatFailsLeavesTheReturnUndone) {
  const std::int64_t lines[] = {1};
  const std::int64_t units[] = {1};
  loyalty_basket* instead = Basket({{"C", 3000}});
  ASSERT_EQ(loyalty_basket_set_redeem_points(instead, 10'000), LOYALTY_OK);
  Owned refused;
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0001", instead, nullptr,
                             refused.out()),
            LOYALTY_INSUFFICIENT_POINTS);
  EXPECT_EQ(refused.get(), nullptr);
  EXPECT_EQ(Balance("LC0001"), 110);
  // B is still there to return, under the same op_id even.
  Owned returned;
  ASSERT_EQ(loyalty_refund_lines(t_, "x1", "s1", lines, units, 1, nullptr, returned.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(returned.get(), LOYALTY_RECEIPT_EARNED), -50);
  loyalty_basket_free(instead);
}

TEST_F(CapiExchangeTest, BadArgumentsAreNamed) {
  const std::int64_t lines[] = {1};
  const std::int64_t units[] = {1};
  loyalty_basket* instead = Basket({{"C", 3000}});
  Owned out;
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 0, "LC0001", instead, nullptr,
                             out.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("count"), std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", nullptr, units, 1, "LC0001", instead, nullptr,
                             out.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("line_numbers"), std::string::npos);
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0001", nullptr, nullptr,
                             out.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("basket"), std::string::npos);
  // Grace's card is not on the account the goods were sold to.
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", lines, units, 1, "LC0002", instead, nullptr,
                             out.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("purchase.card"), std::string::npos)
      << loyalty_last_error();
  const std::int64_t no_such_line[] = {7};
  EXPECT_EQ(loyalty_exchange(t_, "x1", "s1", no_such_line, units, 1, "LC0001", instead, nullptr,
                             out.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find('7'), std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(loyalty_exchange(t_, "x1", "no-such-sale", lines, units, 1, "LC0001", instead,
                             nullptr, out.out()),
            LOYALTY_NOT_FOUND);
  EXPECT_EQ(out.get(), nullptr);
  // A receipt key on an exchange result is refused, naming the kind.
  Owned done;
  ASSERT_EQ(loyalty_exchange(t_, "x2", "s1", lines, units, 1, "LC0001", instead, nullptr,
                             done.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  std::int64_t v = 0;
  EXPECT_EQ(loyalty_result_int(done.get(), LOYALTY_RECEIPT_EARNED, &v),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("exchange"), std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(Balance("LC0001"), 90);
  loyalty_basket_free(instead);
}

}  // namespace
