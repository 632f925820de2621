// A gift-card load or wallet top-up taken back after it synced (issue 16):
// the void is a stored_value entry of minus the amount, pushed like any
// other; the server's balance takes it and the other tills see it; money
// another till spent meanwhile is refused once this till has heard of it.
#include "capi/capi_results.hpp"
#include "loyalty/loyalty.h"
#include "sync_support.hpp"

namespace loyalty::testing {
namespace {

using capi_testing::Int;
using capi_testing::Owned;
using capi_testing::Str;

LoadVoid TakeBack(const std::string& op_id, const std::string& load_op_id,
                  std::optional<std::int64_t> amount_minor = std::nullopt) {
  LoadVoid v;
  v.op_id = op_id;
  v.load_op_id = load_op_id;
  v.amount_minor = amount_minor;
  v.operator_id = "lead";
  v.reason = "keyed wrong";
  return v;
}

void ExpectNoExceptions(Till& till) {
  auto exceptions = till.sync->Exceptions();
  ASSERT_TRUE(exceptions.ok());
  EXPECT_TRUE(exceptions->empty()) << till.id << ": " << (*exceptions)[0].reason;
}

TEST_F(SyncTest, AVoidedLoadReachesTheServerAndTheOtherTill) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  auto load = (*a)->LoadGiftCard({"g1", Card("GC-7001"), 5000});
  ASSERT_TRUE(load.ok());
  const std::string gift = load->account_id;
  ASSERT_TRUE(a->sync->SyncNow().ok());
  EXPECT_EQ(*server_->store().StoredValue(gift, "gift"), 5000);

  // 10.00 of it back at A once the load is at the server.
  ASSERT_TRUE((*a)->VoidLoad(TakeBack("v1", "g1", 1000)).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  EXPECT_EQ(*server_->store().StoredValue(gift, "gift"), 4000);
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_EQ(*(*b)->GiftCardBalance(Card("GC-7001")), 4000);

  // B spends 25.00; once A has synced, A refuses to take that part back.
  Checkout sale{"s1", Card("LC0001"), Eur({2500}), 0};
  sale.gift_cards = {{Card("GC-7001"), 2500}};
  ASSERT_TRUE((*b)->Commit(sale).ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  auto whole = (*a)->VoidLoad(TakeBack("v2", "g1"));
  EXPECT_EQ(whole.status().code(), StatusCode::kInsufficientFunds);
  EXPECT_NE(whole.status().message().find(
                "25.00 EUR of load 'g1' (50.00 EUR) is spent; 15.00 EUR is left to take back"),
            std::string::npos)
      << whole.status().message();
  ASSERT_TRUE((*a)->VoidLoad(TakeBack("v3", "g1", 1500)).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_EQ(*server_->store().StoredValue(gift, "gift"), 0);
  EXPECT_EQ(*(*a)->GiftCardBalance(Card("GC-7001")), 0);
  EXPECT_EQ(*(*b)->GiftCardBalance(Card("GC-7001")), 0);
  // The load is in A's ledger only: B cannot take it back.
  EXPECT_EQ((*b)->VoidLoad(TakeBack("v4", "g1")).status().code(), StatusCode::kNotFound);

  // A wallet top-up voided after it synced.
  ASSERT_TRUE((*a)->TopUpWallet({"w1", Card("LC0001"), 2000}).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  const std::string member = (*a)->Lookup(Card("LC0001"))->account_id;
  EXPECT_EQ(*server_->store().StoredValue(member, "wallet"), 2000);
  auto wallet = (*a)->VoidLoad(TakeBack("v5", "w1"));
  ASSERT_TRUE(wallet.ok()) << wallet.status().ToString();
  EXPECT_EQ(wallet->after.wallet_minor, 0);
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_EQ(*server_->store().StoredValue(member, "wallet"), 0);
  EXPECT_EQ((*b)->Lookup(Card("LC0001"))->wallet_minor, 0);

  ExpectNoExceptions(*a);
  ExpectNoExceptions(*b);
  EXPECT_TRUE((*a)->Verify()->ok);
  EXPECT_TRUE((*b)->Verify()->ok);
}

TEST_F(SyncTest, ALoadVoidedThroughTheCAbiReachesTheServer) {
  ScratchDir dir;
  const std::string key = "terminal key of C, 32 bytes or more";
  const std::string program = WriteFile(dir.File("program.json"), DefaultProgramJson());
  ASSERT_TRUE(server_->store().AddTerminal("C", key).ok());
  loyalty_options* options = nullptr;
  ASSERT_EQ(loyalty_options_new(&options), LOYALTY_OK);
  ASSERT_EQ(loyalty_options_set_database_path(options, dir.File("c.db").c_str()), LOYALTY_OK);
  ASSERT_EQ(loyalty_options_set_terminal_id(options, "C"), LOYALTY_OK);
  ASSERT_EQ(loyalty_options_set_terminal_key(options, key.data(), key.size()), LOYALTY_OK);
  ASSERT_EQ(loyalty_options_set_card_key(options, kCardKey.data(), kCardKey.size()), LOYALTY_OK);
  ASSERT_EQ(loyalty_options_set_program_path(options, program.c_str()), LOYALTY_OK);
  loyalty_terminal* t = nullptr;
  ASSERT_EQ(loyalty_open(options, &t), LOYALTY_OK) << loyalty_last_error();
  loyalty_options_free(options);
  loyalty_sync_options* so = nullptr;
  ASSERT_EQ(loyalty_sync_options_new(&so), LOYALTY_OK);
  const std::string url = "https://127.0.0.1:" + std::to_string(server_->port());
  ASSERT_EQ(loyalty_sync_options_set_server_url(so, url.c_str()), LOYALTY_OK);
  ASSERT_EQ(loyalty_sync_options_set_ca(so, nullptr, ca_.cert_pem().c_str()), LOYALTY_OK);
  ASSERT_EQ(loyalty_sync_options_set_trusted_keys(so, receipt_keys_.second.c_str(),
                                                  program_keys_.second.c_str()),
            LOYALTY_OK);
  loyalty_sync* sync = nullptr;
  ASSERT_EQ(loyalty_sync_create(t, so, &sync), LOYALTY_OK) << loyalty_last_error();
  loyalty_sync_options_free(so);

  Owned loaded;
  ASSERT_EQ(loyalty_load_gift_card(t, "g1", "GC-7002", 3000, loaded.out()), LOYALTY_OK)
      << loyalty_last_error();
  const std::string gift = Str(loaded.get(), LOYALTY_RECEIPT_ACCOUNT_ID);
  ASSERT_EQ(loyalty_sync_now(sync), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(*server_->store().StoredValue(gift, "gift"), 3000);
  Owned voided;
  ASSERT_EQ(loyalty_void_load(t, "v1", "g1", "lead", "keyed wrong", nullptr, voided.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(voided.get(), LOYALTY_RECEIPT_STORED_VALUE_MINOR), -3000);
  ASSERT_EQ(loyalty_sync_now(sync), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(*server_->store().StoredValue(gift, "gift"), 0);
  Owned status;
  ASSERT_EQ(loyalty_sync_status(sync, status.out()), LOYALTY_OK);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_BACKLOG), 0);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_EXCEPTION_COUNT), 0);
  loyalty_sync_free(sync);
  loyalty_close(t);
}

}  // namespace
}  // namespace loyalty::testing
