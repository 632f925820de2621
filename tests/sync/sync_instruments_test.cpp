// What one till issues and another honours offline (docs/sync-protocol.md
// §3.2, §4.2): a gift card loaded at one till and spent at another, an
// e-wallet topped up at one till and spent at another, and a next-visit
// coupon issued at one till, used at another and then refused everywhere.
#include <fstream>

#include "sync_support.hpp"

namespace loyalty::testing {
namespace {

// The default till program plus a rule that issues a next-visit coupon for
// a basket of 50.00 or more.
const char* kCouponProgram = R"({"format": 1, "id": "c", "version": 1, "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "rules": [{"id": "big-basket", "type": "visit", "points": 5, "min_basket": "50.00",
             "issue_coupon": "next-visit"}],
  "coupons": [
    {"id": "next-visit", "kind": "order_amount", "amount": "3.00", "valid_days": 14}]})";

Checkout PaidWithGiftCard(const std::string& op_id, const std::string& card,
                          std::int64_t basket_minor, const std::string& gift,
                          std::int64_t gift_minor) {
  Checkout c{op_id, Card(card), Eur({basket_minor}), 0};
  c.gift_cards.push_back({Card(gift), gift_minor});
  return c;
}

TEST_F(SyncTest, AGiftCardLoadedAtOneTillIsSpentAtAnotherAndBothAgree) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  auto load = (*a)->LoadGiftCard({"g1", Card("GC-7001"), 5000});
  ASSERT_TRUE(load.ok());
  const std::string gift_account = load->account_id;
  auto unknown = (*b)->GiftCardBalance(Card("GC-7001"));
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnknownCard);
  EXPECT_NE(unknown.status().message().find("not synced yet"), std::string::npos);

  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_EQ(*(*b)->GiftCardBalance(Card("GC-7001")), 5000);
  auto exceptions = a->sync->Exceptions();
  ASSERT_TRUE(exceptions.ok());
  EXPECT_TRUE(exceptions->empty()) << "the server applied the load: " << (*exceptions)[0].reason;
  EXPECT_EQ(*server_->store().StoredValue(gift_account, "gift"), 5000);

  // B, offline, takes 20.00 of it; more than what is left is refused.
  server_.reset();
  auto sale = (*b)->Commit(PaidWithGiftCard("s1", "LC0001", 2500, "GC-7001", 2000));
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(*(*b)->GiftCardBalance(Card("GC-7001")), 3000);
  auto over = (*b)->Commit(PaidWithGiftCard("s2", "LC0001", 5000, "GC-7001", 3001));
  EXPECT_EQ(over.status().code(), StatusCode::kInsufficientFunds);

  StartServer("", 0);
  b->sync.reset();
  Attach(*b, OptionsFor(server_->port()));
  a->sync.reset();
  Attach(*a, OptionsFor(server_->port()));
  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  EXPECT_EQ(*(*a)->GiftCardBalance(Card("GC-7001")), 3000);
  EXPECT_EQ(*(*b)->GiftCardBalance(Card("GC-7001")), 3000);
  auto gift_at_a = (*a)->Commit(PaidWithGiftCard("s3", "LC0001", 4000, "GC-7001", 3001));
  EXPECT_EQ(gift_at_a.status().code(), StatusCode::kInsufficientFunds)
      << "A knows what B spent";
  EXPECT_EQ(*server_->store().StoredValue(gift_account, "gift"), 3000);
  EXPECT_TRUE((*a)->Verify()->ok);
  EXPECT_TRUE((*b)->Verify()->ok);
}

TEST_F(SyncTest, AWalletToppedUpAtOneTillIsSpentAtAnother) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE((*a)->TopUpWallet({"w1", Card("LC0001"), 1500}).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_EQ((*b)->Lookup(Card("LC0001"))->wallet_minor, 1500);
  Checkout sale{"s1", Card("LC0001"), Eur({1200}), 0};
  sale.wallet_minor = 1000;
  ASSERT_TRUE((*b)->Commit(sale).ok());
  EXPECT_EQ((*b)->Lookup(Card("LC0001"))->wallet_minor, 500);
  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  EXPECT_EQ((*a)->Lookup(Card("LC0001"))->wallet_minor, 500);
  const std::string account = (*a)->Lookup(Card("LC0001"))->account_id;
  EXPECT_EQ(*server_->store().StoredValue(account, "wallet"), 500);
}

TEST_F(SyncTest, ACouponIssuedAtOneTillIsHonouredOnceAcrossTheChain) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  for (Till* till : {a.get(), b.get()}) {
    till->sync.reset();
    std::ofstream(till->t.options.program_path, std::ios::trunc) << kCouponProgram;
    // A program changed on disk on purpose (docs/security.md).
    till->t.options.allow_unsigned_program_change = true;
    till->t.Reopen();
    Attach(*till, OptionsFor(server_->port()));
  }
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  auto big = (*a)->Commit({"s1", Card("LC0001"), Eur({6000}), 0});
  ASSERT_TRUE(big.ok());
  ASSERT_EQ(big->coupons_issued.size(), 1u);
  const std::string code = big->coupons_issued[0];
  auto before = (*b)->QuoteBasket(Card("LC0001"), Eur({1000}), {}, {code});
  EXPECT_FALSE(before.ok()) << "B has not heard of the code yet";

  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  auto used = (*b)->Commit({"s2", Card("LC0001"), Eur({1000}), 0, {}, {code}});
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_EQ(used->discount_minor, 300);
  auto again_at_b = (*b)->Commit({"s3", Card("LC0001"), Eur({1000}), 0, {}, {code}});
  EXPECT_NE(again_at_b.status().message().find("was already used"), std::string::npos)
      << again_at_b.status().message();

  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  auto again_at_a = (*a)->Commit({"s4", Card("LC0001"), Eur({1000}), 0, {}, {code}});
  EXPECT_NE(again_at_a.status().message().find("was already used"), std::string::npos)
      << "A, where it was issued, knows B took it: " << again_at_a.status().message();
}

}  // namespace
}  // namespace loyalty::testing
