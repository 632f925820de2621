// The C ABI as a POS written in C sees it: only loyalty.h, handles,
// status codes, keyed results and loyalty_last_error().
#include "loyalty/loyalty.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/status.hpp"
#include "loyalty/version.hpp"
#include "capi_results.hpp"
#include "support/test_env.hpp"

namespace {

using loyalty::testing::ScratchDir;
using loyalty::testing::WriteFile;

const char* kProgram = R"({"format": 1, "id": "capi", "version": 3, "name": "C Rewards",
  "currency": "EUR", "earn": {"points": 1, "per": "1.00"},
  "bonuses": {"signup": 10, "events": {"review": 40}},
  "reservations": {"hold_minutes": 10},
  "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"}]})";

std::int64_t FakeNow(void* user) {
  return static_cast<std::atomic<std::int64_t>*>(user)->load();
}

using loyalty::capi_testing::Int;
using loyalty::capi_testing::Item;
using loyalty::capi_testing::Owned;
using loyalty::capi_testing::Str;

class CapiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(loyalty_options_new(&options_), LOYALTY_OK);
    const std::string db = dir_.File("ledger.db");
    const std::string program = WriteFile(dir_.File("program.json"), kProgram);
    ASSERT_EQ(loyalty_options_set_database_path(options_, db.c_str()), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_terminal_id(options_, "till-7"), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_store_id(options_, "store-2"), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_terminal_key(options_, loyalty::testing::kTestKey.data(),
                                               loyalty::testing::kTestKey.size()),
              LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_program_path(options_, program.c_str()), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_clock(options_, FakeNow, &now_), LOYALTY_OK);
    ASSERT_EQ(loyalty_open(options_, &t_), LOYALTY_OK) << loyalty_last_error();
    Owned enrolled;
    ASSERT_EQ(loyalty_enroll(t_, "e1", "LC-0001", nullptr, "Ada", "alice", enrolled.out()),
              LOYALTY_OK)
        << loyalty_last_error();
  }
  void TearDown() override {
    loyalty_close(t_);
    loyalty_options_free(options_);
  }

  // A basket of one line per amount, in EUR.
  loyalty_basket* Basket(std::initializer_list<std::int64_t> amounts) {
    loyalty_basket* b = nullptr;
    EXPECT_EQ(loyalty_basket_new("EUR", &b), LOYALTY_OK);
    int n = 0;
    for (std::int64_t amount : amounts) {
      const std::string sku = "SKU" + std::to_string(++n);
      EXPECT_EQ(loyalty_basket_add_line(b, sku.c_str(), "grocery", 1, amount), LOYALTY_OK);
    }
    return b;
  }

  ScratchDir dir_;
  std::atomic<std::int64_t> now_{1'767'261'600'000};  // 2026-01-01 10:00 UTC
  loyalty_options* options_ = nullptr;
  loyalty_terminal* t_ = nullptr;
};

TEST(CapiStatusTest, CodesAndNamesMirrorTheCppOnes) {
  static_assert(LOYALTY_INSUFFICIENT_POINTS ==
                static_cast<int>(loyalty::StatusCode::kInsufficientPoints));
  static_assert(LOYALTY_UNSUPPORTED == static_cast<int>(loyalty::StatusCode::kUnsupported));
  static_assert(LOYALTY_INSUFFICIENT_FUNDS ==
                static_cast<int>(loyalty::StatusCode::kInsufficientFunds));
  static_assert(LOYALTY_SERVER_REFUSED ==
                static_cast<int>(loyalty::StatusCode::kServerRefused));
  static_assert(LOYALTY_REWARD_REFUSED ==
                static_cast<int>(loyalty::StatusCode::kRewardRefused));
  static_assert(LOYALTY_SYNC_FORK == static_cast<int>(loyalty::StatusCode::kSyncFork));
  for (int code = LOYALTY_OK; code <= LOYALTY_SYNC_FORK; ++code) {
    EXPECT_STREQ(loyalty_status_name(code),
                 loyalty::StatusCodeName(static_cast<loyalty::StatusCode>(code)));
  }
  // A code appended in C++ must be appended to loyalty.h too.
  EXPECT_STREQ(loyalty_status_name(LOYALTY_SYNC_FORK + 1), "unknown_status")
      << "loyalty::StatusCode grew: add it to loyalty_status in loyalty.h";
}

TEST(CapiStatusTest, EntryKindsMirrorTheCppOnes) {
  static_assert(LOYALTY_ENTRY_KIND_PROGRAM == static_cast<int>(loyalty::EntryKind::kProgram));
  for (int kind = LOYALTY_ENTRY_KIND_ENROLL; kind <= LOYALTY_ENTRY_KIND_PROGRAM; ++kind) {
    EXPECT_STRNE(loyalty::EntryKindName(static_cast<loyalty::EntryKind>(kind)), "unknown");
  }
  EXPECT_STREQ(loyalty::EntryKindName(
                   static_cast<loyalty::EntryKind>(LOYALTY_ENTRY_KIND_PROGRAM + 1)),
               "unknown")
      << "loyalty::EntryKind grew: add it to loyalty_entry_kind in loyalty.h";
}

TEST(CapiStatusTest, VersionIsTheBuildsAndTheHeaders) {
  EXPECT_STREQ(loyalty_version(), LOYALTY_VERSION_STRING);
  EXPECT_STREQ(loyalty_version(), loyalty::Version());
  EXPECT_EQ(loyalty_version_number(), LOYALTY_VERSION_NUMBER);
}

TEST_F(CapiTest, WholeCheckoutPath) {
  Owned card;
  ASSERT_EQ(loyalty_lookup(t_, "lc 0001", card.out()), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(Str(card.get(), LOYALTY_CARD_NAME), "Ada");
  EXPECT_EQ(Str(card.get(), LOYALTY_CARD_MASKED), "**0001");
  EXPECT_EQ(Int(card.get(), LOYALTY_CARD_AVAILABLE), 10);  // sign-up bonus
  EXPECT_EQ(Int(card.get(), LOYALTY_CARD_IS_BLOCKED), 0);
  Owned points;
  ASSERT_EQ(loyalty_balance(t_, "LC0001", points.out()), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(Int(points.get(), LOYALTY_BALANCE_AVAILABLE), 10);
  EXPECT_EQ(Str(points.get(), LOYALTY_BALANCE_ACCOUNT_ID), Str(card.get(), LOYALTY_CARD_ACCOUNT_ID));

  loyalty_basket* basket = Basket({1250, 4000, 999});
  ASSERT_EQ(loyalty_basket_set_line_voided(basket, 2, 1), LOYALTY_OK);
  Owned quote;
  ASSERT_EQ(loyalty_quote(t_, "LC0001", basket, quote.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_BASKET_MINOR), 5250);
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_POINTS_TO_EARN), 52);
  size_t lines = 0;
  ASSERT_EQ(loyalty_result_count(quote.get(), LOYALTY_QUOTE_LINE_POINTS, &lines), LOYALTY_OK);
  EXPECT_EQ(lines, 3u);

  Owned receipt;
  ASSERT_EQ(loyalty_commit(t_, "sale-1", "LC0001", basket, "alice", receipt.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(receipt.get(), LOYALTY_RECEIPT_EARNED), 52);
  EXPECT_EQ(Int(receipt.get(), LOYALTY_RECEIPT_REPLAYED), 0);
  EXPECT_EQ(Str(receipt.get(), LOYALTY_RECEIPT_OP_ID), "sale-1");
  EXPECT_EQ(Int(Item(receipt.get(), LOYALTY_RECEIPT_CARD, 0), LOYALTY_CARD_BALANCE), 62);

  // The POS retries after a timeout: the first receipt, nothing written.
  Owned again;
  ASSERT_EQ(loyalty_commit(t_, "sale-1", "LC0001", basket, "bob", again.out()), LOYALTY_OK);
  EXPECT_EQ(Int(again.get(), LOYALTY_RECEIPT_REPLAYED), 1);
  EXPECT_EQ(Int(again.get(), LOYALTY_RECEIPT_EARNED), 52);

  // Spend 50 points on the five-off reward in the next sale.
  loyalty_basket* second = Basket({2000});
  ASSERT_EQ(loyalty_basket_add_reward(second, "five-off"), LOYALTY_OK);
  Owned with_reward;
  ASSERT_EQ(loyalty_commit(t_, "sale-2", "LC0001", second, "bob", with_reward.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(with_reward.get(), LOYALTY_RECEIPT_REDEEMED), 50);
  EXPECT_EQ(Int(with_reward.get(), LOYALTY_RECEIPT_DISCOUNT_MINOR), 500);
  EXPECT_EQ(Int(with_reward.get(), LOYALTY_RECEIPT_EARNED), 15);

  Owned refund;
  ASSERT_EQ(loyalty_refund(t_, "ret-1", "sale-1", 1250, "alice", refund.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(refund.get(), LOYALTY_RECEIPT_EARNED), -13);  // ceil(52 * 1250 / 5250)
  const std::int64_t lines_back[] = {0};
  const std::int64_t units_back[] = {1};
  Owned line_refund;
  ASSERT_EQ(loyalty_refund_lines(t_, "ret-2", "sale-2", lines_back, units_back, 1, nullptr,
                                 line_refund.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  Owned voided;
  ASSERT_EQ(loyalty_redeem(t_, "red-1", "LC0001", 5, "coffee", "alice", voided.out()),
            LOYALTY_OK);
  Owned void_receipt;
  ASSERT_EQ(loyalty_void(t_, "void-1", "red-1", "mgr-1", "wrong card", "alice",
                         void_receipt.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(void_receipt.get(), LOYALTY_RECEIPT_REDEEMED), -5);
  Owned adjusted;
  ASSERT_EQ(loyalty_adjust(t_, "adj-1", "LC0001", 7, "mgr-1", "goodwill", nullptr,
                           adjusted.out()),
            LOYALTY_OK);
  Owned bonus;
  ASSERT_EQ(loyalty_record_event(t_, "ev-1", "LC0001", "review", nullptr, bonus.out()),
            LOYALTY_OK);
  EXPECT_EQ(Int(bonus.get(), LOYALTY_RECEIPT_EARNED), 40);
  ASSERT_EQ(loyalty_record_anonymous_sale(t_, "anon-1", "EUR", 3000, "bob"), LOYALTY_OK);

  Owned history;
  ASSERT_EQ(loyalty_history(t_, "LC0001", 100, history.out()), LOYALTY_OK);
  size_t n = 0;
  ASSERT_EQ(loyalty_result_count(history.get(), LOYALTY_HISTORY_ENTRIES, &n), LOYALTY_OK);
  std::int64_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += Int(Item(history.get(), LOYALTY_HISTORY_ENTRIES, i),
                                            LOYALTY_ENTRY_POINTS);
  Owned after;
  ASSERT_EQ(loyalty_lookup(t_, "LC0001", after.out()), LOYALTY_OK);
  EXPECT_EQ(sum, Int(after.get(), LOYALTY_CARD_BALANCE));
  const loyalty_result* newest = Item(history.get(), LOYALTY_HISTORY_ENTRIES, 0);
  EXPECT_EQ(Str(newest, LOYALTY_ENTRY_KIND_NAME), "earn");
  EXPECT_EQ(Int(newest, LOYALTY_ENTRY_KIND), LOYALTY_ENTRY_KIND_EARN);
  EXPECT_EQ(Int(newest, LOYALTY_ENTRY_AT_MS), now_.load());

  Owned verify;
  ASSERT_EQ(loyalty_verify(t_, nullptr, nullptr, verify.out()), LOYALTY_OK);
  EXPECT_EQ(Int(verify.get(), LOYALTY_VERIFY_OK), 1) << Str(verify.get(), LOYALTY_VERIFY_PROBLEM);
  EXPECT_EQ(loyalty_rebuild_balances(t_), LOYALTY_OK);

  Owned report;
  ASSERT_EQ(loyalty_till_report(t_, 0, now_.load() + 1, 1, 1, report.out()), LOYALTY_OK)
      << loyalty_last_error();
  const loyalty_result* total = Item(report.get(), LOYALTY_REPORT_TOTAL, 0);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_MEMBER_SALES), 2);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_ANONYMOUS_SALES), 1);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_CARD_SHARE_BP), 6666);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_NEW_MEMBERS), 1);
  EXPECT_EQ(Int(report.get(), LOYALTY_REPORT_OUTSTANDING_POINTS), sum);
  EXPECT_EQ(Int(report.get(), LOYALTY_REPORT_OUTSTANDING_MINOR), sum);
  EXPECT_EQ(Str(report.get(), LOYALTY_REPORT_TERMINAL_ID), "till-7");
  size_t cashiers = 0;
  ASSERT_EQ(loyalty_result_count(report.get(), LOYALTY_REPORT_CASHIERS, &cashiers), LOYALTY_OK);
  ASSERT_EQ(cashiers, 3u);  // unattributed, alice, bob
  EXPECT_EQ(Str(Item(report.get(), LOYALTY_REPORT_CASHIERS, 1), LOYALTY_FIGURES_CASHIER_ID),
            "alice");
  EXPECT_NE(Str(report.get(), LOYALTY_REPORT_TEXT).find("sales with a card"),
            std::string::npos);
  EXPECT_NE(Str(report.get(), LOYALTY_REPORT_JSON).find("\"member_sales\": 2"),
            std::string::npos);

  Owned program;
  ASSERT_EQ(loyalty_program(t_, program.out()), LOYALTY_OK);
  EXPECT_EQ(Str(program.get(), LOYALTY_PROGRAM_ID), "capi");
  EXPECT_EQ(Int(program.get(), LOYALTY_PROGRAM_VERSION), 3);
  loyalty_basket_free(basket);
  loyalty_basket_free(second);
}

// A reward the card cannot take: the quote lists it with the status the
// sale would get and the reason, and prices the rest; the sale is refused.
TEST_F(CapiTest, AQuoteListsTheRewardsTheCardCannotTakeAndTheSaleRefusesThem) {
  loyalty_basket* poor = Basket({2000});
  ASSERT_EQ(loyalty_basket_add_reward(poor, "five-off"), LOYALTY_OK);
  Owned short_of_points;  // 10 points of the sign-up bonus, five-off costs 50
  ASSERT_EQ(loyalty_quote(t_, "LC0001", poor, short_of_points.out()), LOYALTY_OK)
      << loyalty_last_error();
  const loyalty_result* wanting = Item(short_of_points.get(), LOYALTY_QUOTE_REFUSED_REWARDS, 0);
  EXPECT_EQ(Str(wanting, LOYALTY_REFUSED_REWARD_ID), "five-off");
  EXPECT_EQ(Int(wanting, LOYALTY_REFUSED_REWARD_STATUS), LOYALTY_INSUFFICIENT_POINTS);
  EXPECT_EQ(Str(wanting, LOYALTY_REFUSED_REWARD_REASON), "needs 50 points, 10 points available");
  loyalty_basket_free(poor);

  Owned earned;
  loyalty_basket* big = Basket({10000});
  ASSERT_EQ(loyalty_commit(t_, "sale-1", "LC0001", big, "alice", earned.out()), LOYALTY_OK)
      << loyalty_last_error();
  loyalty_basket_free(big);

  loyalty_basket* basket = Basket({2000, 1000});
  ASSERT_EQ(loyalty_basket_add_reward(basket, "gold-lounge"), LOYALTY_OK);
  ASSERT_EQ(loyalty_basket_add_reward(basket, "five-off"), LOYALTY_OK);
  Owned quote;
  ASSERT_EQ(loyalty_quote(t_, "LC0001", basket, quote.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_DISCOUNT_MINOR), 500);  // five-off only
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_POINTS_TO_SPEND), 50);
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_POINTS_TO_EARN), 25);   // on 30.00 - 5.00
  size_t refused = 0;
  ASSERT_EQ(loyalty_result_count(quote.get(), LOYALTY_QUOTE_REFUSED_REWARDS, &refused),
            LOYALTY_OK);
  ASSERT_EQ(refused, 1u);
  const loyalty_result* lounge = Item(quote.get(), LOYALTY_QUOTE_REFUSED_REWARDS, 0);
  EXPECT_EQ(Str(lounge, LOYALTY_REFUSED_REWARD_ID), "gold-lounge");
  EXPECT_EQ(Int(lounge, LOYALTY_REFUSED_REWARD_STATUS), LOYALTY_REWARD_REFUSED);
  EXPECT_EQ(Str(lounge, LOYALTY_REFUSED_REWARD_REASON), "not in the program's catalog");

  Owned sale;
  EXPECT_EQ(loyalty_commit(t_, "sale-2", "LC0001", basket, "alice", sale.out()),
            LOYALTY_REWARD_REFUSED);
  EXPECT_STREQ(loyalty_status_name(LOYALTY_REWARD_REFUSED), "reward_refused");
  EXPECT_NE(std::string(loyalty_last_error()).find("'gold-lounge' is not in the program's "
                                                   "catalog"),
            std::string::npos)
      << loyalty_last_error();
  Owned after;
  ASSERT_EQ(loyalty_balance(t_, "LC0001", after.out()), LOYALTY_OK);
  EXPECT_EQ(Int(after.get(), LOYALTY_BALANCE_AVAILABLE), 110) << "the refused sale wrote";
  loyalty_basket_free(basket);
}

TEST_F(CapiTest, GiftCardWalletAndReservation) {
  Owned loaded;
  ASSERT_EQ(loyalty_load_gift_card(t_, "g1", "GC-5555-0001", 5000, loaded.out()), LOYALTY_OK)
      << loyalty_last_error();
  std::int64_t balance = 0;
  ASSERT_EQ(loyalty_gift_card_balance(t_, "GC-5555-0001", &balance), LOYALTY_OK);
  EXPECT_EQ(balance, 5000);
  Owned topped;
  ASSERT_EQ(loyalty_top_up_wallet(t_, "w1", "LC0001", 2500, topped.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(Item(topped.get(), LOYALTY_RECEIPT_CARD, 0), LOYALTY_CARD_WALLET_MINOR), 2500);

  loyalty_basket* b = Basket({8000});
  ASSERT_EQ(loyalty_basket_add_gift_card(b, "GC-5555-0001", 3000), LOYALTY_OK);
  ASSERT_EQ(loyalty_basket_set_wallet_minor(b, 1000), LOYALTY_OK);
  Owned sale;
  ASSERT_EQ(loyalty_commit(t_, "s1", "LC0001", b, "alice", sale.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(sale.get(), LOYALTY_RECEIPT_STORED_VALUE_MINOR), -4000);
  EXPECT_EQ(Int(sale.get(), LOYALTY_RECEIPT_EARNED), 80);  // money tenders still earn
  ASSERT_EQ(loyalty_gift_card_balance(t_, "GC-5555-0001", &balance), LOYALTY_OK);
  EXPECT_EQ(balance, 2000);
  EXPECT_EQ(loyalty_basket_add_gift_card(b, "GC-5555-0001", 0), LOYALTY_INVALID_ARGUMENT);
  loyalty_basket_free(b);

  // Reserve the reward, then confirm: the sale earns only then.
  loyalty_basket* held = Basket({2000});
  ASSERT_EQ(loyalty_basket_add_reward(held, "five-off"), LOYALTY_OK);
  Owned reserved;
  ASSERT_EQ(loyalty_reserve(t_, "res-1", "LC0001", held, "bob", reserved.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(reserved.get(), LOYALTY_RECEIPT_HELD), 50);
  Owned confirmed;
  ASSERT_EQ(loyalty_confirm_reservation(t_, "res-1-ok", "res-1", confirmed.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(confirmed.get(), LOYALTY_RECEIPT_EARNED), 15);
  Owned released;
  EXPECT_EQ(loyalty_release_reservation(t_, "res-1-no", "res-1", released.out()),
            LOYALTY_ALREADY_REVERSED);
  loyalty_basket_free(held);

  Owned report;
  ASSERT_EQ(loyalty_till_report(t_, 0, INT64_MAX, 0, 1, report.out()), LOYALTY_OK);
  EXPECT_EQ(Int(Item(report.get(), LOYALTY_REPORT_TOTAL, 0), LOYALTY_FIGURES_MEMBER_SALES), 2);
  // The reservation counts for the cashier who rang it up (bob), the sale for alice.
  size_t cashiers = 0;
  ASSERT_EQ(loyalty_result_count(report.get(), LOYALTY_REPORT_CASHIERS, &cashiers), LOYALTY_OK);
  ASSERT_EQ(cashiers, 3u);
  EXPECT_EQ(Str(Item(report.get(), LOYALTY_REPORT_CASHIERS, 2), LOYALTY_FIGURES_CASHIER_ID), "bob");
  EXPECT_EQ(Int(Item(report.get(), LOYALTY_REPORT_CASHIERS, 2), LOYALTY_FIGURES_MEMBER_SALES), 1);
  EXPECT_EQ(Int(Item(report.get(), LOYALTY_REPORT_CASHIERS, 2), LOYALTY_FIGURES_REWARDS_GIVEN), 1);
  const loyalty_result* total = Item(report.get(), LOYALTY_REPORT_TOTAL, 0);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_GIFT_CARD_LOADED_MINOR), 5000);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_GIFT_CARD_SPENT_MINOR), 3000);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_WALLET_LOADED_MINOR), 2500);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_WALLET_SPENT_MINOR), 1000);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_COUPONS_USED), 0);
  // Money paid by gift card and wallet is alice's (she rang up s1).
  EXPECT_EQ(Int(Item(report.get(), LOYALTY_REPORT_CASHIERS, 1), LOYALTY_FIGURES_WALLET_SPENT_MINOR),
            1000);
}

TEST_F(CapiTest, LoadsAreTakenBackButNotTheirSpentPart) {
  Owned loaded;
  ASSERT_EQ(loyalty_load_gift_card(t_, "g1", "GC-5555-0001", 5000, loaded.out()), LOYALTY_OK)
      << loyalty_last_error();
  loyalty_basket* b = Basket({3000});
  ASSERT_EQ(loyalty_basket_add_gift_card(b, "GC-5555-0001", 3000), LOYALTY_OK);
  Owned sale;
  ASSERT_EQ(loyalty_commit(t_, "s1", "LC0001", b, nullptr, sale.out()), LOYALTY_OK)
      << loyalty_last_error();
  loyalty_basket_free(b);

  // The spent part is refused, naming what is left; that much comes back.
  Owned r;
  EXPECT_EQ(loyalty_void_load(t_, "v1", "g1", "lead", "keyed wrong", "alice", r.out()),
            LOYALTY_INSUFFICIENT_FUNDS);
  EXPECT_NE(std::string(loyalty_last_error()).find("20.00 EUR is left to take back"),
            std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(loyalty_refund_load(t_, "v1", "g1", 2001, "lead", nullptr, "alice", r.out()),
            LOYALTY_INSUFFICIENT_FUNDS);
  Owned part;
  ASSERT_EQ(loyalty_refund_load(t_, "v1", "g1", 2000, "lead", nullptr, "alice", part.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(part.get(), LOYALTY_RECEIPT_STORED_VALUE_MINOR), -2000);
  std::int64_t balance = -1;
  ASSERT_EQ(loyalty_gift_card_balance(t_, "GC-5555-0001", &balance), LOYALTY_OK);
  EXPECT_EQ(balance, 0);

  // A whole void, twice with one op_id: one void, the same answer.
  Owned second_load;
  ASSERT_EQ(loyalty_load_gift_card(t_, "g2", "GC-5555-0002", 1500, second_load.out()),
            LOYALTY_OK);
  Owned first;
  ASSERT_EQ(loyalty_void_load(t_, "v2", "g2", "lead", "keyed wrong", nullptr, first.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  Owned again;
  ASSERT_EQ(loyalty_void_load(t_, "v2", "g2", "lead", "keyed wrong", nullptr, again.out()),
            LOYALTY_OK);
  EXPECT_EQ(Int(again.get(), LOYALTY_RECEIPT_REPLAYED), 1);
  EXPECT_EQ(Int(again.get(), LOYALTY_RECEIPT_STORED_VALUE_MINOR), -1500);
  EXPECT_EQ(Str(again.get(), LOYALTY_RECEIPT_CARD_MASKED),
            Str(first.get(), LOYALTY_RECEIPT_CARD_MASKED));
  EXPECT_EQ(loyalty_void_load(t_, "v3", "g2", "lead", nullptr, nullptr, r.out()),
            LOYALTY_ALREADY_REVERSED);

  // A wallet top-up; then what is not a load, or not there.
  Owned topped;
  ASSERT_EQ(loyalty_top_up_wallet(t_, "w1", "LC0001", 2500, topped.out()), LOYALTY_OK);
  Owned wallet;
  ASSERT_EQ(loyalty_void_load(t_, "v4", "w1", "lead", nullptr, "bob", wallet.out()), LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(Item(wallet.get(), LOYALTY_RECEIPT_CARD, 0), LOYALTY_CARD_WALLET_MINOR), 0);
  EXPECT_EQ(loyalty_void_load(t_, "v5", "nope", "lead", nullptr, nullptr, r.out()),
            LOYALTY_NOT_FOUND);
  EXPECT_EQ(loyalty_void_load(t_, "v5", "s1", "lead", nullptr, nullptr, r.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("'s1' is a sale"), std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(loyalty_void(t_, "v5", "g1", "lead", "x", nullptr, r.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("loyalty_void_load"), std::string::npos)
      << loyalty_last_error();
  EXPECT_EQ(loyalty_void_load(t_, "v5", "g1", nullptr, nullptr, nullptr, r.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "operator_id: is required to take back a load");
  EXPECT_EQ(loyalty_refund_load(t_, "v5", "g1", 0, "lead", nullptr, nullptr, r.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(loyalty_void_load(nullptr, "v5", "g1", "lead", nullptr, nullptr, r.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(r.r, nullptr);

  Owned report;
  ASSERT_EQ(loyalty_till_report(t_, 0, INT64_MAX, 0, 1, report.out()), LOYALTY_OK);
  const loyalty_result* total = Item(report.get(), LOYALTY_REPORT_TOTAL, 0);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_LOAD_VOIDS), 3);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_GIFT_CARD_LOADED_MINOR), 6500);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_GIFT_CARD_SPENT_MINOR), 3000);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_GIFT_CARD_VOIDED_MINOR), 3500);
  EXPECT_EQ(Int(total, LOYALTY_FIGURES_WALLET_VOIDED_MINOR), 2500);
}

TEST_F(CapiTest, ErrorsCarryTheCodeAndNameTheFieldAndValue) {
  Owned r;
  r.r = reinterpret_cast<loyalty_result*>(0x1);  // must be reset to NULL on error
  loyalty_result* bogus = r.r;
  EXPECT_EQ(loyalty_redeem(t_, "red-9", "LC0001", 500, "tv", nullptr, r.out()),
            LOYALTY_INSUFFICIENT_POINTS);
  EXPECT_EQ(r.r, nullptr);
  (void)bogus;
  EXPECT_NE(std::string(loyalty_last_error()).find("**0001"), std::string::npos)
      << loyalty_last_error();

  EXPECT_EQ(loyalty_lookup(t_, "LC0099", r.out()), LOYALTY_UNKNOWN_CARD);
  EXPECT_EQ(loyalty_lookup(t_, "LC/01", r.out()), LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(loyalty_last_error()).rfind("card:", 0), 0u) << loyalty_last_error();
  EXPECT_EQ(loyalty_lookup(nullptr, "LC0001", r.out()), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "terminal: is NULL");
  EXPECT_EQ(loyalty_history(t_, "LC0001", 0, r.out()), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "limit: 0 must be > 0");

  loyalty_basket* usd = nullptr;
  ASSERT_EQ(loyalty_basket_new("USD", &usd), LOYALTY_OK);
  ASSERT_EQ(loyalty_basket_add_line(usd, "A", nullptr, 1, 100), LOYALTY_OK);
  EXPECT_EQ(loyalty_commit(t_, "s-usd", "LC0001", usd, nullptr, r.out()),
            LOYALTY_CURRENCY_MISMATCH);
  EXPECT_EQ(loyalty_basket_set_line_voided(usd, 5, 1), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "index: 5 but the basket has 1 lines");
  loyalty_basket_free(usd);

  loyalty_basket* negative = Basket({-50});
  EXPECT_EQ(loyalty_commit(t_, "s-neg", "LC0001", negative, nullptr, r.out()),
            LOYALTY_AMOUNT_NEGATIVE);
  EXPECT_NE(std::string(loyalty_last_error()).find("-50"), std::string::npos);
  loyalty_basket_free(negative);

  // Same op_id, other content.
  loyalty_basket* one = Basket({100});
  loyalty_basket* two = Basket({200});
  ASSERT_EQ(loyalty_commit(t_, "s-dup", "LC0001", one, nullptr, r.out()), LOYALTY_OK);
  loyalty_result_free(r.r);
  r.r = nullptr;
  EXPECT_EQ(loyalty_commit(t_, "s-dup", "LC0001", two, nullptr, r.out()),
            LOYALTY_DUPLICATE_ID_CONFLICT);
  EXPECT_EQ(loyalty_record_anonymous_sale(t_, "s-dup", "EUR", 100, nullptr),
            LOYALTY_DUPLICATE_ID_CONFLICT);
  loyalty_basket_free(one);
  loyalty_basket_free(two);

  // A second terminal on the same ledger.
  loyalty_terminal* second = reinterpret_cast<loyalty_terminal*>(0x1);
  EXPECT_EQ(loyalty_open(options_, &second), LOYALTY_DATABASE_LOCKED);
  EXPECT_EQ(second, nullptr);

  // Asking a result for another kind's key, or an integer as a string.
  Owned card;
  ASSERT_EQ(loyalty_lookup(t_, "LC0001", card.out()), LOYALTY_OK);
  std::int64_t v = 0;
  EXPECT_EQ(loyalty_result_int(card.get(), LOYALTY_RECEIPT_EARNED, &v),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("403"), std::string::npos);
  const char* s = nullptr;
  EXPECT_EQ(loyalty_result_string(card.get(), LOYALTY_CARD_AVAILABLE, &s),
            LOYALTY_INVALID_ARGUMENT);
  const loyalty_result* item = nullptr;
  EXPECT_EQ(loyalty_result_item_at(card.get(), LOYALTY_CARD_REWARDS, 9, &item),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "index: 9 but key 109 has 1 items");

  EXPECT_EQ(loyalty_till_report(t_, 10, 5, 1, 1, r.out()), LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(loyalty_till_report(t_, 0, 5, 1, 0, r.out()), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "point_value.points: 0 must be > 0");

  // Success clears the message.
  ASSERT_EQ(loyalty_result_int(card.get(), LOYALTY_CARD_AVAILABLE, &v), LOYALTY_OK);
  EXPECT_STREQ(loyalty_last_error(), "");
}

TEST_F(CapiTest, LastErrorBelongsToTheThreadThatFailed) {
  Owned r;
  EXPECT_EQ(loyalty_lookup(t_, "LC0099", r.out()), LOYALTY_UNKNOWN_CARD);
  const std::string mine = loyalty_last_error();
  std::string theirs = "unset";
  std::thread other([&] {
    theirs = loyalty_last_error();  // nothing failed on that thread
    loyalty_result* x = nullptr;
    EXPECT_EQ(loyalty_history(t_, "LC0001", -1, &x), LOYALTY_INVALID_ARGUMENT);
  });
  other.join();
  EXPECT_EQ(theirs, "");
  EXPECT_EQ(loyalty_last_error(), mine);
  EXPECT_NE(mine.find("not enrolled"), std::string::npos) << mine;
}

TEST_F(CapiTest, TillThreadAndBackOfficeThreadShareOneHandle) {
  constexpr int kSales = 150;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread till([&] {
    loyalty_basket* b = Basket({1000});
    for (int i = 0; i < kSales; ++i) {
      loyalty_result* r = nullptr;
      const std::string op = "s" + std::to_string(i);
      if (loyalty_commit(t_, op.c_str(), "LC0001", b, "alice", &r) != LOYALTY_OK) ++failures;
      loyalty_result_free(r);
    }
    loyalty_basket_free(b);
    done = true;
  });
  std::thread office([&] {
    std::int64_t last = 0;
    int rounds = 0;
    while (!done || rounds < 3) {
      ++rounds;
      loyalty_result* card = nullptr;
      if (loyalty_lookup(t_, "LC0001", &card) != LOYALTY_OK) ++failures;
      std::int64_t balance = 0;
      loyalty_result_int(card, LOYALTY_CARD_BALANCE, &balance);
      if (balance < last) ++failures;  // never goes back
      last = balance;
      loyalty_result_free(card);
      loyalty_result* verify = nullptr;
      std::int64_t ok = 0;
      if (loyalty_verify(t_, nullptr, nullptr, &verify) != LOYALTY_OK) ++failures;
      loyalty_result_int(verify, LOYALTY_VERIFY_OK, &ok);
      if (ok != 1) ++failures;
      loyalty_result_free(verify);
      loyalty_result* report = nullptr;
      if (loyalty_till_report(t_, 0, INT64_MAX, 0, 1, &report) != LOYALTY_OK) ++failures;
      loyalty_result_free(report);
    }
  });
  till.join();
  office.join();
  EXPECT_EQ(failures.load(), 0);
  Owned card;
  ASSERT_EQ(loyalty_lookup(t_, "LC0001", card.out()), LOYALTY_OK);
  EXPECT_EQ(Int(card.get(), LOYALTY_CARD_BALANCE), 10 + 10 * kSales);
}

struct LogLines {
  std::vector<std::string> lines;
};

void Collect(void* user, int level, const char* message) {
  static_cast<LogLines*>(user)->lines.push_back(std::to_string(level) + " " + message);
}

TEST_F(CapiTest, LogCallbackHearsOperationsWithMaskedCards) {
  loyalty_close(t_);
  t_ = nullptr;
  LogLines log;
  ASSERT_EQ(loyalty_options_set_log(options_, Collect, &log), LOYALTY_OK);
  ASSERT_EQ(loyalty_open(options_, &t_), LOYALTY_OK) << loyalty_last_error();
  loyalty_basket* b = Basket({500});
  Owned r;
  ASSERT_EQ(loyalty_commit(t_, "s-log", "LC0001", b, nullptr, r.out()), LOYALTY_OK);
  loyalty_basket_free(b);
  ASSERT_FALSE(log.lines.empty());
  EXPECT_NE(log.lines.back().find("s-log"), std::string::npos) << log.lines.back();
  for (const std::string& line : log.lines) EXPECT_EQ(line.find("LC0001"), std::string::npos);
}

TEST_F(CapiTest, StaticLibraryReadersSayUnsupported) {
  loyalty_reader* reader = nullptr;
  EXPECT_EQ(loyalty_reader_open("sim:", &reader), LOYALTY_UNSUPPORTED);
  EXPECT_EQ(reader, nullptr);
  EXPECT_NE(std::string(loyalty_last_error()).find("sim:"), std::string::npos);
  EXPECT_EQ(loyalty_reader_open("sim:", nullptr), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "out: is NULL");
}

// An Ed25519 key pair (public PEM) and a signer, with OpenSSL as the
// chain's signing tool would use it.
struct ProgramKey {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ~ProgramKey() { EVP_PKEY_free(key); }
  std::string PublicPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    return pem;
  }
  // "<path>.sig": base64 of the signature over "loyalty-program-v1\n" + file.
  void Sign(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    const std::string message = "loyalty-program-v1\n" +
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    unsigned char sig[64];
    size_t sig_len = sizeof sig;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key);
    EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());
    EVP_MD_CTX_free(ctx);
    unsigned char b64[128];
    const int n = EVP_EncodeBlock(b64, sig, static_cast<int>(sig_len));
    std::ofstream(path + ".sig", std::ios::trunc)
        << std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n)) << "\n";
  }
};

TEST_F(CapiTest, APinnedProgramKeyRefusesAnUnsignedProgramFile) {
  loyalty_close(t_);
  t_ = nullptr;
  ProgramKey chain;
  ASSERT_NE(chain.key, nullptr);
  const std::string pem = chain.PublicPem();
  ASSERT_EQ(loyalty_options_set_program_public_key(options_, pem.c_str()), LOYALTY_OK);
  loyalty_terminal* t = nullptr;
  EXPECT_EQ(loyalty_open(options_, &t), LOYALTY_TAMPERED);
  EXPECT_EQ(t, nullptr);
  EXPECT_NE(std::string(loyalty_last_error()).find("program.json' is not signed"),
            std::string::npos)
      << loyalty_last_error();

  chain.Sign(dir_.File("program.json"));
  ASSERT_EQ(loyalty_open(options_, &t_), LOYALTY_OK) << loyalty_last_error();
  // A second program, unsigned: refused, the first stays in force.
  const std::string v4 = WriteFile(dir_.File("program-v4.json"), kProgram);
  EXPECT_EQ(loyalty_load_program(t_, v4.c_str()), LOYALTY_TAMPERED);
  chain.Sign(v4);
  EXPECT_EQ(loyalty_load_program(t_, v4.c_str()), LOYALTY_OK) << loyalty_last_error();
}

// A garbage collector frees handles in whatever order it likes: closing
// the terminal first must leave its sync working (it keeps the terminal
// alive) and freeing the sync afterwards must not touch freed memory (run
// under ASan in build/sanitize).
TEST_F(CapiTest, ClosingTheTerminalBeforeItsSyncIsSafe) {
  loyalty_sync_options* so = nullptr;
  ASSERT_EQ(loyalty_sync_options_new(&so), LOYALTY_OK);
  // Nothing listens on port 1: every round fails fast and backs off.
  ASSERT_EQ(loyalty_sync_options_set_server_url(so, "https://127.0.0.1:1"), LOYALTY_OK);
  loyalty_sync* sync = nullptr;
  ASSERT_EQ(loyalty_sync_create(t_, so, &sync), LOYALTY_OK) << loyalty_last_error();
  loyalty_sync_options_free(so);
  ASSERT_EQ(loyalty_sync_start(sync), LOYALTY_OK) << loyalty_last_error();
  Owned kept;
  ASSERT_EQ(loyalty_lookup(t_, "LC-0001", kept.out()), LOYALTY_OK);

  loyalty_close(t_);
  t_ = nullptr;
  // The sync still reads the ledger it was attached to.
  Owned status;
  ASSERT_EQ(loyalty_sync_status(sync, status.out()), LOYALTY_OK) << loyalty_last_error();
  // The program in force, the enrolment, the sign-up bonus.
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_HEAD_SEQ), 3);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_BACKLOG), 3);
  EXPECT_EQ(loyalty_sync_now(sync), LOYALTY_NETWORK_ERROR);
  // The ledger stays open (and locked) until the last handle on it goes.
  loyalty_terminal* again = nullptr;
  EXPECT_EQ(loyalty_open(options_, &again), LOYALTY_DATABASE_LOCKED);
  loyalty_sync_free(sync);  // stops its thread, then closes the ledger
  ASSERT_EQ(loyalty_open(options_, &t_), LOYALTY_OK) << loyalty_last_error();
  // Results belong to nobody but the caller: still readable.
  EXPECT_EQ(Str(kept.get(), LOYALTY_CARD_NAME), "Ada");
}

TEST_F(CapiTest, SyncFreedBeforeTheTerminalAndStoppedTwiceIsSafe) {
  loyalty_sync_options* so = nullptr;
  ASSERT_EQ(loyalty_sync_options_new(&so), LOYALTY_OK);
  ASSERT_EQ(loyalty_sync_options_set_server_url(so, "https://127.0.0.1:1"), LOYALTY_OK);
  loyalty_sync* first = nullptr;
  ASSERT_EQ(loyalty_sync_create(t_, so, &first), LOYALTY_OK) << loyalty_last_error();
  ASSERT_EQ(loyalty_sync_start(first), LOYALTY_OK);
  EXPECT_EQ(loyalty_sync_stop(first), LOYALTY_OK);
  EXPECT_EQ(loyalty_sync_stop(first), LOYALTY_OK);
  loyalty_sync_free(first);
  // Freed, the terminal takes a new sync; the options may go before it.
  loyalty_sync* second = nullptr;
  ASSERT_EQ(loyalty_sync_create(t_, so, &second), LOYALTY_OK) << loyalty_last_error();
  loyalty_sync_options_free(so);
  ASSERT_EQ(loyalty_sync_start(second), LOYALTY_OK);
  loyalty_close(t_);
  t_ = nullptr;
  loyalty_sync_free(second);
  loyalty_sync_free(nullptr);
  loyalty_close(nullptr);
}

// Items reached through loyalty_result_item_at live as long as their
// result; freeing one by mistake does nothing (the result frees it).
TEST_F(CapiTest, ItemsLiveUntilTheirResultIsFreedAndFreeingOneIsHarmless) {
  loyalty_result* receipt = nullptr;
  ASSERT_EQ(loyalty_redeem(t_, "r-items", "LC-0001", 5, "coffee", nullptr, &receipt),
            LOYALTY_OK)
      << loyalty_last_error();
  const loyalty_result* card = Item(receipt, LOYALTY_RECEIPT_CARD, 0);
  ASSERT_NE(card, nullptr);
  loyalty_result_free(const_cast<loyalty_result*>(card));  // a caller's mistake
  EXPECT_EQ(Int(card, LOYALTY_CARD_AVAILABLE), 5);
  EXPECT_EQ(Str(card, LOYALTY_CARD_NAME), "Ada");
  loyalty_result_free(receipt);
}

TEST(CapiMoneyTest, ParsesAndFormatsInTheCurrencysDecimals) {
  int decimals = -1;
  ASSERT_EQ(loyalty_currency_decimals("EUR", &decimals), LOYALTY_OK);
  EXPECT_EQ(decimals, 2);
  ASSERT_EQ(loyalty_currency_decimals("JPY", &decimals), LOYALTY_OK);
  EXPECT_EQ(decimals, 0);
  EXPECT_EQ(loyalty_currency_decimals("EURO", &decimals), LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("EURO"), std::string::npos)
      << loyalty_last_error();

  int64_t minor = 0;
  ASSERT_EQ(loyalty_money_parse("EUR", "12.34", &minor), LOYALTY_OK);
  EXPECT_EQ(minor, 1234);
  ASSERT_EQ(loyalty_money_parse("KWD", "-0.05", &minor), LOYALTY_OK);
  EXPECT_EQ(minor, -50);
  EXPECT_EQ(loyalty_money_parse("EUR", "1.999", &minor), LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(minor, 0);
  EXPECT_NE(std::string(loyalty_last_error()).find("1.999"), std::string::npos)
      << loyalty_last_error();

  size_t length = 0;
  ASSERT_EQ(loyalty_money_format("EUR", 1234, nullptr, 0, &length), LOYALTY_OK);
  EXPECT_EQ(length, 5u);
  char small[5];
  EXPECT_EQ(loyalty_money_format("EUR", 1234, small, sizeof small, &length),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(small, "");
  char buffer[32];
  ASSERT_EQ(loyalty_money_format("EUR", 1234, buffer, sizeof buffer, &length), LOYALTY_OK);
  EXPECT_STREQ(buffer, "12.34");
  ASSERT_EQ(loyalty_money_format("KWD", -50, buffer, sizeof buffer, &length), LOYALTY_OK);
  EXPECT_STREQ(buffer, "-0.050");
  ASSERT_EQ(loyalty_money_format("JPY", 1200, buffer, sizeof buffer, &length), LOYALTY_OK);
  EXPECT_STREQ(buffer, "1200");
}

TEST_F(CapiTest, StoreDayIsTheProgramsDay) {
  // The test program sets no time zone: the store's day is UTC's.
  int64_t from = 0;
  int64_t to = 0;
  ASSERT_EQ(loyalty_store_day(t_, now_.load(), &from, &to), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(from, 1'767'225'600'000);  // 2026-01-01 00:00 UTC
  EXPECT_EQ(to - from, 24 * 3600 * 1000);
  EXPECT_EQ(loyalty_store_day(nullptr, 0, &from, &to), LOYALTY_INVALID_ARGUMENT);
}

TEST_F(CapiTest, EnrolMemberTakesBirthdayAndReferrer) {
  Owned friend_card;
  ASSERT_EQ(loyalty_enroll_member(t_, "e2", "LC-0002", nullptr, "Grace", "01-01", "LC-0001",
                                  nullptr, friend_card.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  Owned bad;
  EXPECT_EQ(loyalty_enroll_member(t_, "e3", "LC-0003", nullptr, "Bob", nullptr, "LC 00#1",
                                  nullptr, bad.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(loyalty_last_error()).rfind("referrer", 0), 0u) << loyalty_last_error();
  EXPECT_EQ(bad.get(), nullptr);
}

}  // namespace
