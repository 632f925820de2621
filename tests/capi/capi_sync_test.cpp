// Sync through the C ABI against the reference server over real TLS on
// 127.0.0.1, as a POS written in C meets it: a till set up wrong is told
// what is wrong and which option to fix, not "network error, will retry".
#include "loyalty/loyalty.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "capi_results.hpp"
#include "sync/sync_support.hpp"

namespace loyalty::testing {
namespace {

using capi_testing::Int;
using capi_testing::Owned;
using capi_testing::Str;

const char* kProgram = R"({"format": 1, "id": "capi-sync", "version": 1, "name": "C Sync",
  "currency": "EUR", "earn": {"points": 1, "per": "1.00"}, "bonuses": {"signup": 10}})";

bool Says(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

class CapiSyncTest : public SyncTest {
 protected:
  void TearDown() override {
    for (loyalty_sync* s : syncs_) loyalty_sync_free(s);
    for (loyalty_terminal* t : tills_) loyalty_close(t);
  }

  // A till as a C POS opens it: its own ledger file, the wall clock (the
  // server checks request times).
  loyalty_terminal* OpenTill(const std::string& file, const std::string& id,
                             const std::string& key) {
    loyalty_options* o = nullptr;
    EXPECT_EQ(loyalty_options_new(&o), LOYALTY_OK);
    const std::string db = dir_.File(file);
    const std::string program = WriteFile(dir_.File("program.json"), kProgram);
    EXPECT_EQ(loyalty_options_set_database_path(o, db.c_str()), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_terminal_id(o, id.c_str()), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_terminal_key(o, key.data(), key.size()), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_card_key(o, kCardKey.data(), kCardKey.size()), LOYALTY_OK);
    EXPECT_EQ(loyalty_options_set_program_path(o, program.c_str()), LOYALTY_OK);
    loyalty_terminal* t = nullptr;
    EXPECT_EQ(loyalty_open(o, &t), LOYALTY_OK) << loyalty_last_error();
    loyalty_options_free(o);
    if (t != nullptr) tills_.push_back(t);
    return t;
  }

  void Enroll(loyalty_terminal* t, const char* op_id, const char* card) {
    Owned receipt;
    ASSERT_EQ(loyalty_enroll(t, op_id, card, nullptr, "Ada", nullptr, receipt.out()),
              LOYALTY_OK)
        << loyalty_last_error();
  }

  // A sync to the test's server; `receipt_pem` the receipt key the till trusts.
  loyalty_sync* Attach(loyalty_terminal* t, const std::string& receipt_pem) {
    loyalty_sync_options* o = nullptr;
    EXPECT_EQ(loyalty_sync_options_new(&o), LOYALTY_OK);
    const std::string url = "https://127.0.0.1:" + std::to_string(server_->port());
    EXPECT_EQ(loyalty_sync_options_set_server_url(o, url.c_str()), LOYALTY_OK);
    EXPECT_EQ(loyalty_sync_options_set_ca(o, nullptr, ca_.cert_pem().c_str()), LOYALTY_OK);
    EXPECT_EQ(loyalty_sync_options_set_trusted_keys(o, receipt_pem.c_str(),
                                                    program_keys_.second.c_str()),
              LOYALTY_OK);
    EXPECT_EQ(loyalty_sync_options_set_timing(o, 3000, 10'000, 50), LOYALTY_OK);
    loyalty_sync* s = nullptr;
    EXPECT_EQ(loyalty_sync_create(t, o, &s), LOYALTY_OK) << loyalty_last_error();
    loyalty_sync_options_free(o);
    if (s != nullptr) syncs_.push_back(s);
    return s;
  }

  ScratchDir dir_;
  std::vector<loyalty_terminal*> tills_;
  std::vector<loyalty_sync*> syncs_;
};

TEST_F(CapiSyncTest, AnUnregisteredTerminalIsUnknownTerminalUntilItIsAdded) {
  const std::string key = "terminal key of T-NEW, 32 bytes or more";
  loyalty_terminal* t = OpenTill("new.db", "T-NEW", key);
  ASSERT_NE(t, nullptr);
  Enroll(t, "e1", "LC0001");
  loyalty_sync* s = Attach(t, receipt_keys_.second);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(loyalty_sync_now(s), LOYALTY_UNKNOWN_TERMINAL);
  const std::string message = loyalty_last_error();
  EXPECT_TRUE(Says(message, "'T-NEW'")) << message;
  EXPECT_TRUE(Says(message, "terminal_id")) << message;
  EXPECT_TRUE(Says(message, "loyalty-server add-terminal")) << message;
  EXPECT_STREQ(loyalty_status_name(LOYALTY_UNKNOWN_TERMINAL), "unknown_terminal");
  Owned status;
  ASSERT_EQ(loyalty_sync_status(s, status.out()), LOYALTY_OK);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_LAST_ERROR_CODE), LOYALTY_UNKNOWN_TERMINAL);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_BACKLOG), Int(status.get(), LOYALTY_SYNC_HEAD_SEQ));
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_IS_HALTED), 0);
  // Registered at the server, the same sync goes on: nothing was dropped.
  ASSERT_TRUE(server_->store().AddTerminal("T-NEW", key).ok());
  EXPECT_EQ(loyalty_sync_now(s), LOYALTY_OK) << loyalty_last_error();
  Owned after;
  ASSERT_EQ(loyalty_sync_status(s, after.out()), LOYALTY_OK);
  EXPECT_EQ(Int(after.get(), LOYALTY_SYNC_BACKLOG), 0);
  EXPECT_EQ(Int(after.get(), LOYALTY_SYNC_LAST_ERROR_CODE), LOYALTY_OK);
}

TEST_F(CapiSyncTest, ATerminalKeyThatIsNotTheServersIsKeyMismatch) {
  ASSERT_TRUE(server_->store().AddTerminal("T2", "the key the server holds for T2, 32+").ok());
  loyalty_terminal* t = OpenTill("t2.db", "T2", "another key of T2, 32 bytes or more");
  ASSERT_NE(t, nullptr);
  Enroll(t, "e1", "LC0001");
  loyalty_sync* s = Attach(t, receipt_keys_.second);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(loyalty_sync_now(s), LOYALTY_KEY_MISMATCH);
  const std::string message = loyalty_last_error();
  EXPECT_TRUE(Says(message, "terminal_key")) << message;
  EXPECT_TRUE(Says(message, "'T2'")) << message;
}

TEST_F(CapiSyncTest, AReceiptKeyThatIsNotTheServersIsKeyMismatchAndNothingIsAcknowledged) {
  const std::string key = "terminal key of T3, 32 bytes or more";
  ASSERT_TRUE(server_->store().AddTerminal("T3", key).ok());
  loyalty_terminal* t = OpenTill("t3.db", "T3", key);
  ASSERT_NE(t, nullptr);
  Enroll(t, "e1", "LC0001");
  // The program key where the receipt key belongs: an easy slip.
  loyalty_sync* wrong = Attach(t, program_keys_.second);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(loyalty_sync_now(wrong), LOYALTY_KEY_MISMATCH);
  const std::string message = loyalty_last_error();
  EXPECT_TRUE(Says(message, "receipt_public_key_pem")) << message;
  Owned status;
  ASSERT_EQ(loyalty_sync_status(wrong, status.out()), LOYALTY_OK);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_ACKED_SEQ), 0);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_LAST_ERROR_CODE), LOYALTY_KEY_MISMATCH);
  // With the right key the same entries go through.
  loyalty_sync_free(wrong);
  syncs_.clear();
  loyalty_sync* right = Attach(t, receipt_keys_.second);
  ASSERT_NE(right, nullptr);
  EXPECT_EQ(loyalty_sync_now(right), LOYALTY_OK) << loyalty_last_error();
}

TEST_F(CapiSyncTest, AForkIsSyncForkAtItsSeqAndStaysStopped) {
  const std::string key = "terminal key of T1, 32 bytes or more";
  ASSERT_TRUE(server_->store().AddTerminal("T1", key).ok());
  loyalty_terminal* first = OpenTill("t1.db", "T1", key);
  ASSERT_NE(first, nullptr);
  Enroll(first, "e1", "LC0001");
  loyalty_sync* synced = Attach(first, receipt_keys_.second);
  ASSERT_NE(synced, nullptr);
  ASSERT_EQ(loyalty_sync_now(synced), LOYALTY_OK) << loyalty_last_error();
  Owned first_status;
  ASSERT_EQ(loyalty_sync_status(synced, first_status.out()), LOYALTY_OK);
  const std::int64_t first_head = Int(first_status.get(), LOYALTY_SYNC_HEAD_SEQ);
  // A clone of the till (same id and key) with another history from seq 1.
  loyalty_terminal* clone = OpenTill("clone.db", "T1", key);
  ASSERT_NE(clone, nullptr);
  Enroll(clone, "x1", "LC0002");
  loyalty_sync* forked = Attach(clone, receipt_keys_.second);
  ASSERT_NE(forked, nullptr);
  EXPECT_EQ(loyalty_sync_now(forked), LOYALTY_SYNC_FORK);
  const std::string message = loyalty_last_error();
  EXPECT_TRUE(Says(message, "fork at seq 1")) << message;
  EXPECT_TRUE(Says(message, "docs/sync-protocol.md")) << message;
  Owned status;
  ASSERT_EQ(loyalty_sync_status(forked, status.out()), LOYALTY_OK);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_IS_HALTED), 1);
  EXPECT_EQ(Int(status.get(), LOYALTY_SYNC_LAST_ERROR_CODE), LOYALTY_SYNC_FORK);
  EXPECT_TRUE(Says(Str(status.get(), LOYALTY_SYNC_LAST_ERROR), "fork at seq 1"));
  EXPECT_EQ(loyalty_sync_now(forked), LOYALTY_SYNC_FORK);  // stopped, not retried
  auto stored = server_->store().StoredEntries("T1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, first_head) << "the clone's entries were stored";
}

}  // namespace
}  // namespace loyalty::testing
