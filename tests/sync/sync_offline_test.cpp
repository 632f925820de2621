// What comes back from the server and what the till does with it offline:
// the hotlist, program versions, the offline redemption cap, flagged
// entries; and a till killed at random points of its syncs.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "loyalty/loyalty.h"
#include "sync/wire.hpp"
#include "support/progress_pipe.hpp"
#include "sync_support.hpp"
#include "trust/program_message.hpp"

namespace loyalty::testing {
namespace {

using std::chrono::milliseconds;

TEST_F(SyncTest, ACardBlockedAtTheServerIsRefusedAtEveryTill) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE((*b)->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok()) << "B knows the card";

  const std::string hash = ledger::Mac(kCardKey).Compute("loyalty-card-v1:LC0001");
  ASSERT_TRUE(server_->store().SetHotlist(hash, "lost").ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  auto view = (*b)->Lookup(Card("LC0001"));
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->blocked) << "the cashier sees why";
  EXPECT_TRUE((*b)->Balance(Card("LC0001"))->blocked);
  auto sale = (*b)->Commit({"s2", Card("LC0001"), Eur({1000}), 0});
  ASSERT_FALSE(sale.ok());
  EXPECT_EQ(sale.status().code(), StatusCode::kCardBlocked);
  EXPECT_NE(sale.status().message().find("hotlist"), std::string::npos);
  // Still refused after a restart with no Sync attached (offline).
  b->sync.reset();
  b->t.Reopen();
  EXPECT_EQ((*b)->Commit({"s2b", Card("LC0001"), Eur({1000}), 0}).status().code(),
            StatusCode::kCardBlocked);
  EXPECT_EQ(b->Available("LC0001"), 10) << "the server's share is still shown";
  Attach(*b, OptionsFor(server_->port()));

  ASSERT_TRUE(server_->store().SetHotlist(hash, "cleared").ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  EXPECT_TRUE((*b)->Commit({"s3", Card("LC0001"), Eur({1000}), 0}).ok());
}

std::string ProgramV2() {
  return DefaultProgramJson().replace(DefaultProgramJson().find("\"version\": 1"),
                                      std::string("\"version\": 1").size(), "\"version\": 2")
      .replace(DefaultProgramJson().find("\"points\": 1,"), std::string("\"points\": 1,").size(),
               "\"points\": 3,");
}

TEST_F(SyncTest, ASignedProgramGoesInForceAndABadOneIsRefused) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  // Signed by someone else: refused, version 1 stays.
  auto intruder = server::NewEd25519KeyPair();
  ASSERT_TRUE(intruder.ok());
  const std::string v2 = ProgramV2();
  auto bad = server::SignEd25519(intruder->first, trust::ProgramMessage(v2));
  ASSERT_TRUE(bad.ok());
  ASSERT_TRUE(server_->store().AddProgram(2, v2, *bad).ok());
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ((*till)->program().version, 1);
  EXPECT_EQ(till->sync->status().program_version, 0);

  // The chain's own signature: in force at once, and after a restart.
  const std::string v3 = [&] {
    std::string p = ProgramV2();
    return p.replace(p.find("\"version\": 2"), 12, "\"version\": 3");
  }();
  auto good = server::SignEd25519(program_keys_.first, trust::ProgramMessage(v3));
  ASSERT_TRUE(good.ok());
  ASSERT_TRUE(server_->store().AddProgram(3, v3, *good).ok());
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ((*till)->program().version, 3);
  EXPECT_EQ(till->sync->status().program_version, 3);
  auto sale = (*till)->Commit({"s1", Card("LC0001"), Eur({1000}), 0});
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->earned, 30) << "3 points per euro under version 3";

  // Restarted with the original program file and no Sync yet (offline):
  // the accepted version is back in force.
  till->sync.reset();
  till->t.Reopen();
  EXPECT_EQ((*till)->program().version, 3);
  Attach(*till, OptionsFor(server_->port()));
  EXPECT_EQ((*till)->program().version, 3);
  EXPECT_FALSE(till->sync->program_path().empty());
}

TEST_F(SyncTest, OfflineRedemptionsAreCappedPerCardPerDayAndEarningGoesOn) {
  auto till = NewTill("T1");
  ASSERT_TRUE(server_->store().SetPolicy(60'000, 100).ok());
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE((*till)->Commit({"s1", Card("LC0001"), Eur({30000}), 0}).ok());  // 300 points
  ASSERT_TRUE(till->sync->SyncNow().ok());
  // Online: no cap, even past it.
  ASSERT_TRUE((*till)->Redeem({"r1", Card("LC0001"), 70, ""}).ok());
  ASSERT_TRUE((*till)->Redeem({"r2", Card("LC0001"), 40, ""}).ok());
  // Two minutes later the server is unreachable: offline. The day's
  // redemptions (110 already) count against the cap of 100.
  server_.reset();
  till->t.clock.AdvanceMs(120'000);
  auto over = (*till)->Redeem({"r3", Card("LC0001"), 1, ""});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOfflineLimit);
  EXPECT_NE(over.status().message().find("offline cap of 100"), std::string::npos)
      << over.status().message();
  EXPECT_TRUE((*till)->Commit({"s2", Card("LC0001"), Eur({1000}), 0}).ok()) << "earning goes on";
  EXPECT_EQ(till->Available("LC0001"), 300 - 110 + 10);
  // The next store day starts a new count.
  till->t.clock.AdvanceDays(1);
  EXPECT_TRUE((*till)->Redeem({"r4", Card("LC0001"), 60, ""}).ok());
  auto again = (*till)->Redeem({"r5", Card("LC0001"), 41, ""});
  EXPECT_EQ(again.status().code(), StatusCode::kOfflineLimit) << "60 + 41 > 100";
  EXPECT_TRUE((*till)->Redeem({"r6", Card("LC0001"), 40, ""}).ok()) << "exactly the cap";
}

TEST_F(SyncTest, AnOverspendAcrossTillsIsFlaggedNeverRefusedAndStaysReported) {
  auto a = NewTill("A");
  auto b = NewTill("B");
  ASSERT_TRUE((*a)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE((*a)->Commit({"s1", Card("LC0001"), Eur({10000}), 0}).ok());  // 100
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  // Both tills offline spend the same 100 points.
  ASSERT_TRUE((*a)->Redeem({"ra", Card("LC0001"), 100, ""}).ok());
  ASSERT_TRUE((*b)->Redeem({"rb", Card("LC0001"), 100, ""}).ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  ASSERT_TRUE(b->sync->SyncNow().ok());
  ASSERT_TRUE(a->sync->SyncNow().ok());
  EXPECT_EQ(ServerPoints(*a, "LC0001"), -100);
  EXPECT_EQ(a->Available("LC0001"), -100);
  EXPECT_EQ(b->Available("LC0001"), -100);
  auto flagged = b->sync->Exceptions();
  ASSERT_TRUE(flagged.ok());
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0].status, "applied_flagged");
  EXPECT_EQ((*flagged)[0].reason, "balance_negative");
  // Kept across a restart, and in the ledger.
  b->sync.reset();
  b->t.Reopen();
  Attach(*b, OptionsFor(server_->port()));
  EXPECT_EQ(b->sync->status().exceptions, 1);
  auto again = b->sync->Exceptions();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 1u);
}

TEST_F(SyncTest, TheCAbiSyncsAndReportsItsStatus) {
  Till till("C1");
  ASSERT_TRUE(server_->store().AddTerminal("C1", till.t.options.terminal_key).ok());
  till.t.Close();
  loyalty_options* options = nullptr;
  ASSERT_EQ(loyalty_options_new(&options), LOYALTY_OK);
  loyalty_options_set_database_path(options, till.t.options.database_path.c_str());
  loyalty_options_set_terminal_id(options, "C1");
  const std::string& key = till.t.options.terminal_key;
  loyalty_options_set_terminal_key(options, key.data(), key.size());
  loyalty_options_set_card_key(options, kCardKey.data(), kCardKey.size());
  loyalty_options_set_program_path(options, till.t.options.program_path.c_str());
  loyalty_terminal* terminal = nullptr;
  ASSERT_EQ(loyalty_open(options, &terminal), LOYALTY_OK) << loyalty_last_error();
  loyalty_options_free(options);
  loyalty_result* receipt = nullptr;
  ASSERT_EQ(loyalty_enroll(terminal, "c-e1", "LC0001", nullptr, "Ada", nullptr, &receipt), LOYALTY_OK)
      << loyalty_last_error();
  loyalty_result_free(receipt);

  loyalty_sync_options* so = nullptr;
  ASSERT_EQ(loyalty_sync_options_new(&so), LOYALTY_OK);
  EXPECT_EQ(loyalty_sync_options_set_batches(so, -1, 0, 0), LOYALTY_INVALID_ARGUMENT);
  const std::string url = "https://127.0.0.1:" + std::to_string(server_->port());
  loyalty_sync_options_set_server_url(so, url.c_str());
  loyalty_sync_options_set_ca(so, nullptr, ca_.cert_pem().c_str());
  loyalty_sync_options_set_trusted_keys(so, receipt_keys_.second.c_str(),
                                        program_keys_.second.c_str());
  loyalty_sync* sync = nullptr;
  ASSERT_EQ(loyalty_sync_create(terminal, so, &sync), LOYALTY_OK) << loyalty_last_error();
  loyalty_sync_options_free(so);
  ASSERT_EQ(loyalty_sync_now(sync), LOYALTY_OK) << loyalty_last_error();
  loyalty_result* status = nullptr;
  ASSERT_EQ(loyalty_sync_status(sync, &status), LOYALTY_OK);
  int64_t value = -1;
  loyalty_result_int(status, LOYALTY_SYNC_BACKLOG, &value);
  EXPECT_EQ(value, 0);
  loyalty_result_int(status, LOYALTY_SYNC_ACKED_SEQ, &value);
  EXPECT_EQ(value, 2);  // the program entry and the enrolment
  loyalty_result_int(status, LOYALTY_SYNC_LAST_ERROR_CODE, &value);
  EXPECT_EQ(value, LOYALTY_OK);
  loyalty_result_int(status, LOYALTY_SYNC_LAST_SUCCESS_MS, &value);
  EXPECT_GT(value, 0);
  loyalty_result_free(status);
  loyalty_result* exceptions = nullptr;
  ASSERT_EQ(loyalty_sync_exceptions(sync, &exceptions), LOYALTY_OK);
  size_t count = 99;
  loyalty_result_count(exceptions, LOYALTY_SYNC_EXCEPTIONS, &count);
  EXPECT_EQ(count, 0u);
  loyalty_result_free(exceptions);
  loyalty_sync_free(sync);
  loyalty_close(terminal);
  auto stored = server_->store().StoredEntries("C1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, 2);
}

// A till process killed with SIGKILL at random points of trading and
// syncing: afterwards nothing is lost or doubled and the chain verifies.
TEST_F(SyncTest, ATillKilledAtRandomPointsOfItsSyncsLosesAndDoublesNothing) {
  Till till("K1");
  ASSERT_TRUE(server_->store().AddTerminal("K1", till.t.options.terminal_key).ok());
  ASSERT_TRUE(till->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  till.t.Close();
  const SyncOptions options = OptionsFor(server_->port());
  std::mt19937 rng(20261122);
  int sale = 0;
  ScratchDir configs;
  for (int run = 0; run < 12; ++run) {
    // The child is a fresh process (tests/sync/kill_till.cpp): a bare fork of
    // this one, which runs the server's threads, can inherit a held lock.
    const std::string config = WriteFile(
        configs.File("run" + std::to_string(run) + ".json"),
        nlohmann::json{{"database_path", till.t.options.database_path},
                       {"terminal_id", till.t.options.terminal_id},
                       {"terminal_key", till.t.options.terminal_key},
                       {"card_key", till.t.options.card_key},
                       {"program_path", till.t.options.program_path},
                       {"clock_ms", till.t.clock.Now().time_since_epoch().count()},
                       {"server_url", options.server_url},
                       {"ca_pem", options.ca_pem},
                       {"receipt_public_key_pem", options.receipt_public_key_pem},
                       {"program_public_key_pem", options.program_public_key_pem},
                       {"run", run}}
            .dump());
    ProgressPipe progress;
    const std::string fd = std::to_string(progress.write_fd());
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      progress.BecomeChild();
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test
      execl(LOYALTY_KILL_TILL, LOYALTY_KILL_TILL, config.c_str(), fd.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    progress.BecomeParent();
    // Killed after a random number of whole rounds, then at a random point
    // of the next one: after progress, never after a fixed time.
    const auto rounds = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 4)(rng));
    ASSERT_GE(progress.WaitForLines(rounds, std::chrono::seconds(120)), rounds)
        << "the child made no progress";
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20'000)(rng)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << status;
    ++sale;
  }
  till.t.Reopen();
  ASSERT_NE(till.t.terminal, nullptr);
  auto verify = till->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
  Attach(till, options);
  ASSERT_TRUE(till.sync->SyncNow().ok()) << till.sync->status().last_error.ToString();
  SyncStatus st = till.sync->status();
  EXPECT_EQ(st.backlog, 0);
  auto stored = server_->store().StoredEntries("K1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, st.head_seq) << "every entry once, none twice";
  EXPECT_GT(st.head_seq, 12);
  EXPECT_EQ(ServerPoints(till, "LC0001"), till.Available("LC0001"));
  EXPECT_EQ(st.exceptions, 0);
}

}  // namespace
}  // namespace loyalty::testing
