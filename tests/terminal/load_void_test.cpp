// Taking back gift-card loads and wallet top-ups (Terminal::VoidLoad): only
// the money of a load still on the card comes back, spent first in, first
// out; idempotent on op_id; written as entries; counted by the till report.
#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

const char* kGift = "GC-5555-0001";

class LoadVoidTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok()); }

  std::int64_t Gift() {
    auto balance = t_->GiftCardBalance(Card(kGift));
    EXPECT_TRUE(balance.ok()) << balance.status().ToString();
    return balance.ok() ? *balance : -1;
  }
  std::int64_t Wallet() { return t_->Lookup(Card("LC0001"))->wallet_minor; }
  std::int64_t Entries() { return t_->Verify()->entries_checked; }

  void Load(const std::string& op_id, std::int64_t minor) {
    ASSERT_TRUE(t_->LoadGiftCard({op_id, Card(kGift), minor}).ok());
  }
  Result<Receipt> PayWithGift(const std::string& op_id, std::int64_t minor) {
    Checkout sale{op_id, Card("LC0001"), Eur({minor}), 0};
    sale.gift_cards = {{Card(kGift), minor}};
    return t_->Commit(sale);
  }
  static LoadVoid Whole(const std::string& op_id, const std::string& load_op_id) {
    LoadVoid v;
    v.op_id = op_id;
    v.load_op_id = load_op_id;
    v.operator_id = "lead";
    v.reason = "keyed 500.00 for 50.00";
    return v;
  }
  static LoadVoid Part(const std::string& op_id, const std::string& load_op_id,
                       std::int64_t minor) {
    LoadVoid v = Whole(op_id, load_op_id);
    v.amount_minor = minor;
    return v;
  }

  TestTerminal t_;
};

TEST_F(LoadVoidTest, AMisKeyedLoadIsVoidedWholeAndTheRightOneLoadedAgain) {
  auto load = t_->LoadGiftCard({"g1", Card(kGift), 50000});
  ASSERT_TRUE(load.ok());
  auto voided = t_->VoidLoad(Whole("v1", "g1"));
  ASSERT_TRUE(voided.ok()) << voided.status().ToString();
  EXPECT_EQ(voided->stored_value_minor, -50000);
  EXPECT_EQ(voided->account_id, load->account_id);
  EXPECT_EQ(voided->card_masked, load->card_masked);
  EXPECT_EQ(voided->entry_seqs.size(), 1u);
  EXPECT_FALSE(voided->replayed);
  EXPECT_EQ(Gift(), 0);
  Load("g2", 5000);
  EXPECT_EQ(Gift(), 5000);
  // The void is an entry of the chain: it survives a restart and verifies.
  t_.Reopen();
  EXPECT_EQ(Gift(), 5000);
  EXPECT_TRUE(t_->Verify()->ok);
  EXPECT_TRUE(t_->RebuildBalances().ok());
}

TEST_F(LoadVoidTest, PartOfALoadIsRefundedThenTheRestIsVoided) {
  Load("g1", 5000);
  auto part = t_->VoidLoad(Part("v1", "g1", 2000));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->stored_value_minor, -2000);
  EXPECT_EQ(Gift(), 3000);
  auto rest = t_->VoidLoad(Whole("v2", "g1"));
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->stored_value_minor, -3000);
  EXPECT_EQ(Gift(), 0);
  auto again = t_->VoidLoad(Whole("v3", "g1"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyReversed);
  EXPECT_NE(again.status().message().find("load 'g1' of 50.00 EUR on gift card"),
            std::string::npos)
      << again.status().message();
  EXPECT_EQ(t_->VoidLoad(Part("v4", "g1", 1)).status().code(), StatusCode::kAlreadyReversed);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(LoadVoidTest, TheSpentPartIsRefusedNamingWhatIsLeftToTakeBack) {
  Load("g1", 5000);
  ASSERT_TRUE(PayWithGift("s1", 3000).ok());
  const std::int64_t entries = Entries();
  auto whole = t_->VoidLoad(Whole("v1", "g1"));
  EXPECT_EQ(whole.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(whole.status().message().find(
                "30.00 EUR of load 'g1' (50.00 EUR) is spent; 20.00 EUR is left to take back"),
            std::string::npos)
      << whole.status().message();
  EXPECT_EQ(t_->VoidLoad(Part("v1", "g1", 2001)).status().code(),
            StatusCode::kInsufficientFunds);
  EXPECT_EQ(Entries(), entries) << "a refusal wrote nothing";
  EXPECT_EQ(Gift(), 2000);
  // What is left can be taken back; then nothing is.
  auto left = t_->VoidLoad(Part("v2", "g1", 2000));
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ(Gift(), 0);
  auto none = t_->VoidLoad(Part("v3", "g1", 1));
  EXPECT_EQ(none.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(none.status().message().find("0.00 EUR is left to take back"), std::string::npos)
      << none.status().message();
  // The sale comes back: its money is on the card again, unspent.
  ASSERT_TRUE(t_->Refund({"r1", "s1", std::nullopt}).ok());
  EXPECT_EQ(Gift(), 3000);
  auto after_return = t_->VoidLoad(Whole("v4", "g1"));
  ASSERT_TRUE(after_return.ok()) << after_return.status().ToString();
  EXPECT_EQ(after_return->stored_value_minor, -3000);
  EXPECT_EQ(Gift(), 0);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(LoadVoidTest, MoneyIsSpentFirstInFirstOut) {
  Load("g1", 3000);
  Load("g2", 2000);
  ASSERT_TRUE(PayWithGift("s1", 2500).ok());  // all but 5.00 of g1
  auto older = t_->VoidLoad(Whole("v1", "g1"));
  EXPECT_EQ(older.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(older.status().message().find("25.00 EUR of load 'g1' (30.00 EUR) is spent; "
                                          "5.00 EUR is left"),
            std::string::npos)
      << older.status().message();
  auto newer = t_->VoidLoad(Whole("v2", "g2"));
  ASSERT_TRUE(newer.ok()) << newer.status().ToString();
  EXPECT_EQ(newer->stored_value_minor, -2000);
  EXPECT_EQ(Gift(), 500);
  // g2 taken back no longer stands before g1's last 5.00.
  ASSERT_TRUE(t_->VoidLoad(Part("v3", "g1", 500)).ok());
  EXPECT_EQ(Gift(), 0);
}

TEST_F(LoadVoidTest, TheSameVoidTwiceIsOneVoidWithTheSameAnswer) {
  Load("g1", 5000);
  auto first = t_->VoidLoad(Whole("v1", "g1"));
  ASSERT_TRUE(first.ok());
  auto second = t_->VoidLoad(Whole("v1", "g1"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->stored_value_minor, first->stored_value_minor);
  EXPECT_EQ(second->entry_seqs, first->entry_seqs);
  EXPECT_EQ(Gift(), 0);
  EXPECT_EQ(t_->VoidLoad(Part("v1", "g1", 100)).status().code(),
            StatusCode::kDuplicateIdConflict);
  EXPECT_EQ(t_->VoidLoad(Whole("v2", "g1")).status().code(), StatusCode::kAlreadyReversed);
}

TEST_F(LoadVoidTest, AnUnknownOperationOrOneThatIsNotALoadIsRefusedAndNamed) {
  Load("g1", 5000);
  ASSERT_TRUE(PayWithGift("s1", 1000).ok());
  const std::int64_t entries = Entries();
  auto unknown = t_->VoidLoad(Whole("v1", "g9"));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "load_op_id: no operation 'g9' in this ledger (a load is taken back at the till "
            "that made it)");
  auto sale = t_->VoidLoad(Whole("v1", "s1"));
  EXPECT_EQ(sale.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(sale.status().message().find("'s1' is a sale, not a gift-card load"),
            std::string::npos)
      << sale.status().message();
  ASSERT_TRUE(t_->VoidLoad(Part("v2", "g1", 100)).ok());
  EXPECT_EQ(t_->VoidLoad(Whole("v3", "v2")).status().code(), StatusCode::kInvalidArgument)
      << "a void of a load is not a load";
  // Void and Refund do not take money back from a load: they name the call that does.
  auto by_void = t_->Void({"v4", "g1", "lead", "mis-keyed"});
  EXPECT_EQ(by_void.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(by_void.status().message().find("'g1' is a gift_load: its money is taken back "
                                            "with VoidLoad"),
            std::string::npos)
      << by_void.status().message();
  EXPECT_EQ(t_->Refund({"v5", "g1", 100}).status().code(), StatusCode::kInvalidArgument);
  // The request's own mistakes.
  LoadVoid nobody = Whole("v6", "g1");
  nobody.operator_id.clear();
  EXPECT_EQ(t_->VoidLoad(nobody).status().message(),
            "operator_id: is required to take back a load");
  EXPECT_EQ(t_->VoidLoad(Part("v6", "g1", 0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t_->VoidLoad(Part("v6", "g1", -5)).status().code(), StatusCode::kAmountNegative);
  auto too_much = t_->VoidLoad(Part("v6", "g1", 6000));
  EXPECT_EQ(too_much.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_much.status().message().find("60.00 EUR is more than the 49.00 EUR load 'g1' "
                                             "has left to take back"),
            std::string::npos)
      << too_much.status().message();
  EXPECT_EQ(t_->VoidLoad(Whole("", "g1")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Entries(), entries + 1) << "only v2 wrote";
  EXPECT_EQ(Gift(), 3900);
}

TEST_F(LoadVoidTest, AWalletTopUpIsTakenBackLikeAGiftCardLoad) {
  ASSERT_TRUE(t_->TopUpWallet({"w1", Card("LC0001"), 2500}).ok());
  Checkout sale{"s1", Card("LC0001"), Eur({1000}), 0};
  sale.wallet_minor = 1000;
  ASSERT_TRUE(t_->Commit(sale).ok());
  ASSERT_TRUE(t_->TopUpWallet({"w2", Card("LC0001"), 1000}).ok());
  auto older = t_->VoidLoad(Whole("v1", "w1"));
  EXPECT_EQ(older.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(older.status().message().find("the wallet of card"), std::string::npos);
  EXPECT_NE(older.status().message().find("15.00 EUR is left to take back"), std::string::npos)
      << older.status().message();
  auto newer = t_->VoidLoad(Whole("v2", "w2"));
  ASSERT_TRUE(newer.ok()) << newer.status().ToString();
  EXPECT_EQ(newer->after.wallet_minor, 1500);
  EXPECT_EQ(newer->card_masked, t_->Lookup(Card("LC0001"))->card_masked);
  auto rest = t_->VoidLoad(Part("v3", "w1", 1500));
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->after.wallet_minor, 0);
  EXPECT_EQ(Wallet(), 0);
  EXPECT_TRUE(t_->Verify()->ok);
}

TEST_F(LoadVoidTest, TheTillReportCountsVoidsOfLoadsApartFromSpending) {
  Load("g1", 5000);
  ASSERT_TRUE(PayWithGift("s1", 1000).ok());
  ASSERT_TRUE(t_->TopUpWallet({"w1", Card("LC0001"), 2500}).ok());
  LoadVoid gift = Part("v1", "g1", 1500);
  gift.cashier_id = "alice";
  ASSERT_TRUE(t_->VoidLoad(gift).ok());
  LoadVoid wallet = Whole("v2", "w1");
  wallet.cashier_id = "bob";
  ASSERT_TRUE(t_->VoidLoad(wallet).ok());
  ASSERT_TRUE(t_->VoidLoad(wallet).ok());  // a retry counts once
  auto report = t_->TillReport(Timestamp{}, Timestamp(std::chrono::milliseconds(INT64_MAX)));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total.load_voids, 2);
  EXPECT_EQ(report->total.gift_card_loaded_minor, 5000);
  EXPECT_EQ(report->total.gift_card_spent_minor, 1000);
  EXPECT_EQ(report->total.gift_card_voided_minor, 1500);
  EXPECT_EQ(report->total.wallet_loaded_minor, 2500);
  EXPECT_EQ(report->total.wallet_spent_minor, 0);
  EXPECT_EQ(report->total.wallet_voided_minor, 2500);
  ASSERT_EQ(report->cashiers.size(), 3u);  // unattributed, alice, bob
  EXPECT_EQ(report->cashiers[1].cashier_id, "alice");
  EXPECT_EQ(report->cashiers[1].gift_card_voided_minor, 1500);
  EXPECT_EQ(report->cashiers[2].load_voids, 1);
  EXPECT_EQ(report->cashiers[2].wallet_voided_minor, 2500);
  EXPECT_NE(TillReportText(*report).find("loads voided"), std::string::npos);
  EXPECT_NE(TillReportJson(*report).find("\"gift_card_voided_minor\": 1500"),
            std::string::npos);
}

}  // namespace
}  // namespace loyalty
