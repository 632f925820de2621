// Every entry reaches the server exactly once, whatever the network and the
// server do; every till and the server agree to the point afterwards.
#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "support/fault_proxy.hpp"
#include "sync_support.hpp"

namespace loyalty::testing {
namespace {

using server::Fault;
using std::chrono::milliseconds;

// The server holds every entry of the till once, and the points agree.
void ExpectDelivered(server::CentralServer& server, Till& till) {
  SyncStatus st = till.sync->status();
  EXPECT_EQ(st.backlog, 0) << till.id;
  EXPECT_EQ(st.acked_seq, st.head_seq) << till.id;
  auto stored = server.store().StoredEntries(till.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, st.head_seq) << till.id << ": entries stored at the server";
  auto verify = till->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

void Trade(Till& till, const std::string& card, int sales, const std::string& prefix) {
  for (int i = 0; i < sales; ++i) {
    auto r = till->Commit({prefix + std::to_string(i), Card(card), Eur({1000 + 100 * i}), 0});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

TEST_F(SyncTest, EveryEntryArrivesOnceAndTheBalancesAgree) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 5, "s");
  ASSERT_TRUE((*till)->Redeem({"r1", Card("LC0001"), 20, "coffee"}).ok());
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  ExpectDelivered(*server_, *till);
  EXPECT_EQ(ServerPoints(*till, "LC0001"), till->Available("LC0001"));
  EXPECT_EQ(till->Available("LC0001"), 10 + 11 + 12 + 13 + 14 - 20);
  SyncStatus st = till->sync->status();
  EXPECT_TRUE(st.last_success.has_value());
  EXPECT_TRUE(st.last_error.ok());
  EXPECT_EQ(st.exceptions, 0);
  // Nothing new: a second round sends nothing and changes nothing.
  const int before = server_->requests();
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ(server_->requests(), before + 1) << "one pull, no push";
  ExpectDelivered(*server_, *till);
}

TEST_F(SyncTest, TillsTradingOfflineAgreeToThePointInEveryReconnectOrder) {
  std::vector<std::string> ids = {"A", "B", "C"};
  std::vector<int> order = {0, 1, 2};
  int round = 0;
  do {
    // A fresh chain per order.
    server_.reset();
    std::filesystem::remove_all(server_dir_.path());
    std::filesystem::create_directories(server_dir_.path());
    server_db_ = FreshStore(server_dir_.File("central.db"));
    StartServer();
    std::vector<std::unique_ptr<Till>> tills;
    for (const std::string& id : ids) tills.push_back(NewTill(id + std::to_string(round)));
    Till& a = *tills[0];
    ASSERT_TRUE(a->Enroll({"e", Card("LC0007"), "", "Ada"}).ok());
    Trade(a, "LC0007", 3, "a");  // 10 + 11 + 12 = 33
    ASSERT_TRUE(a.sync->SyncNow().ok());
    for (auto& t : tills) ASSERT_TRUE(t->sync->SyncNow().ok()) << t->id;  // B, C learn the card
    EXPECT_EQ(tills[1]->Available("LC0007"), 33);
    // Offline: each till earns and spends; B and C spend points earned at A.
    Trade(*tills[1], "LC0007", 2, "b");  // +21
    ASSERT_TRUE((*tills[1])->Redeem({"rb", Card("LC0007"), 40, ""}).ok());
    Trade(*tills[2], "LC0007", 1, "c");  // +10
    ASSERT_TRUE((*tills[2])->Redeem({"rc", Card("LC0007"), 30, ""}).ok());
    Trade(a, "LC0007", 1, "a2");  // +10
    const Points want = 33 + 21 - 40 + 10 - 30 + 10;
    // Reconnect in this order, then once more so everyone hears everyone.
    for (int pass = 0; pass < 2; ++pass) {
      for (int i : order) ASSERT_TRUE(tills[i]->sync->SyncNow().ok()) << tills[i]->id;
    }
    EXPECT_EQ(ServerPoints(a, "LC0007"), want) << "order " << order[0] << order[1] << order[2];
    for (auto& t : tills) {
      EXPECT_EQ(t->Available("LC0007"), want) << t->id;
      ExpectDelivered(*server_, *t);
    }
    auto sum = server_->store().SumOfBalances();
    ASSERT_TRUE(sum.ok());
    EXPECT_EQ(*sum, want);
    ++round;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(round, 6);
}

// Each fault: the round fails with the right code, nothing is acknowledged
// from a bad answer, the next round delivers, and nothing is counted twice.
struct FaultCase {
  Fault fault;
  StatusCode code;
  const char* name;
};

class SyncFaultTest : public SyncTest, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(SyncFaultTest, TheNextRoundDeliversOnceAndNothingIsCountedTwice) {
  const FaultCase& c = GetParam();
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 4, "s");
  server_->Inject(c.fault, "batches", 1);
  Status failed = till->sync->SyncNow();
  EXPECT_EQ(failed.code(), c.code) << c.name << ": " << failed.ToString();
  EXPECT_EQ(till->sync->status().acked_seq, 0) << c.name << ": acknowledged from a bad answer";
  EXPECT_EQ(till->sync->status().consecutive_failures, 1);
  Status ok = till->sync->SyncNow();
  ASSERT_TRUE(ok.ok()) << c.name << ": " << ok.ToString();
  ExpectDelivered(*server_, *till);
  EXPECT_EQ(ServerPoints(*till, "LC0001"), 10 + 11 + 12 + 13) << c.name;
  EXPECT_EQ(till->sync->status().consecutive_failures, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, SyncFaultTest,
    ::testing::Values(FaultCase{Fault::kCommitThenDrop, StatusCode::kNetworkError, "commit then drop"},
                      FaultCase{Fault::kTruncated, StatusCode::kNetworkError, "truncated"},
                      FaultCase{Fault::kGarbage, StatusCode::kNetworkError, "garbage"},
                      FaultCase{Fault::kWrongSignature, StatusCode::kNetworkError, "wrong signature"},
                      FaultCase{Fault::kInternalError, StatusCode::kNetworkError, "500"},
                      FaultCase{Fault::kUnavailable, StatusCode::kServerRefused, "503"},
                      FaultCase{Fault::kBusy, StatusCode::kServerRefused, "429"}),
    [](const ::testing::TestParamInfo<FaultCase>& param) {
      std::string name = param.param.name;
      std::replace_if(name.begin(), name.end(), [](char ch) { return !std::isalnum(ch); }, '_');
      return name;
    });

TEST_F(SyncTest, RetryAfterIsAFloorForTheNextAttempt) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  server_->Inject(Fault::kUnavailable, "batches", 30);
  EXPECT_EQ(till->sync->PumpOnce().code(), StatusCode::kServerRefused);
  SyncStatus st = till->sync->status();
  ASSERT_TRUE(st.next_attempt.has_value());
  const auto wait = *st.next_attempt - till->t.clock.Now();
  EXPECT_GE(wait, milliseconds(29'000)) << "backoff cap is 40 ms, Retry-After says 30 s";
  // Pumping before then sends nothing.
  const int before = server_->requests();
  EXPECT_TRUE(till->sync->PumpOnce().ok());
  EXPECT_EQ(server_->requests(), before);
  // SyncNow is the operator's "now": it ignores the backoff.
  EXPECT_TRUE(till->sync->SyncNow().ok());
  ExpectDelivered(*server_, *till);
}

TEST_F(SyncTest, AForgottenAckIsResentAsDuplicatesAndCountedOnce) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 3, "s");
  // A backup of the till taken before it synced (the file is whole once
  // the Terminal is closed).
  const std::string ledger_path = till->t.options.database_path;
  till->sync.reset();
  till->t.Close();
  std::filesystem::copy_file(ledger_path, ledger_path + ".backup");
  till->t.Reopen();
  Attach(*till, OptionsFor(server_->port()));
  ASSERT_TRUE(till->sync->SyncNow().ok());
  const Points server_points = ServerPoints(*till, "LC0001");
  // The till loses its sync state: that backup is restored.
  till->sync.reset();
  till->t.Close();
  std::filesystem::copy_file(ledger_path + ".backup", ledger_path,
                             std::filesystem::copy_options::overwrite_existing);
  till->t.Reopen();
  Attach(*till, OptionsFor(server_->port()));
  EXPECT_EQ(till->sync->status().acked_seq, 0);
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  ExpectDelivered(*server_, *till);
  EXPECT_EQ(ServerPoints(*till, "LC0001"), server_points);
  EXPECT_EQ(till->sync->status().exceptions, 0) << "duplicates are not exceptions";
}

TEST_F(SyncTest, AServerRestoredFromAnOldBackupIsRefilledFromTheGap) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 2, "s");
  ASSERT_TRUE(till->sync->SyncNow().ok());
  const int port = server_->port();
  server_.reset();  // closes the store: a SQLite file is whole
  const std::string backup = BackUpStore(server_db_, server_dir_.File("backup.db"));
  StartServer("", port);
  Trade(*till, "LC0001", 2, "t");
  ASSERT_TRUE(till->sync->SyncNow().ok());
  server_.reset();
  server_db_ = backup;  // the server comes back from the old backup
  StartServer("", port);
  // The server lost entries 4..7; the next batch starts past its head.
  Trade(*till, "LC0001", 1, "u");
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  ExpectDelivered(*server_, *till);
  EXPECT_EQ(ServerPoints(*till, "LC0001"), till->Available("LC0001"));
}

TEST_F(SyncTest, TheServerRestartingBetweenRoundsLosesNothing) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 2, "s");
  ASSERT_TRUE(till->sync->SyncNow().ok());
  const int port = server_->port();
  server_.reset();
  Trade(*till, "LC0001", 2, "t");
  EXPECT_EQ(till->sync->SyncNow().code(), StatusCode::kNetworkError);
  EXPECT_EQ(till->sync->status().backlog, 2);
  StartServer("", port);
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  ExpectDelivered(*server_, *till);
}

TEST_F(SyncTest, ABacklogGoesInBatchesWithProgressReported) {
  SyncOptions o = OptionsFor(server_->port());
  o.max_batch_entries = 100;
  auto till = NewTill("T1", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 450, "s");
  std::vector<std::int64_t> acked;
  till->sync->SetProgress([&](std::int64_t a, std::int64_t head) {
    acked.push_back(a);
    EXPECT_EQ(head, 452);  // the program entry, the enrolment, 450 sales
  });
  ASSERT_TRUE(till->sync->SyncNow().ok());
  EXPECT_EQ(acked, (std::vector<std::int64_t>{100, 200, 300, 400, 452}));
  ExpectDelivered(*server_, *till);
}

TEST_F(SyncTest, TheBackgroundThreadDeliversWhileTheTillTrades) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(till->sync->Start().ok());
  EXPECT_EQ(till->sync->Start().code(), StatusCode::kInvalidArgument);
  Trade(*till, "LC0001", 30, "s");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (till->sync->status().backlog > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(till->sync->status().running);
  till->sync->Stop();
  EXPECT_FALSE(till->sync->status().running);
  ExpectDelivered(*server_, *till);
}

// Stop must not wait for the request's own 60 s timeouts. The bound below
// is a safety net far above a Stop's expected few milliseconds and far
// below the timeouts it must not wait for; it is not a speed figure.
TEST_F(SyncTest, StopDoesNotWaitForABlackholedRequestsTimeouts) {
  FaultProxy proxy(static_cast<std::uint16_t>(server_->port()));
  proxy.SetMode(FaultProxy::Mode::kBlackhole);
  SyncOptions o = OptionsFor(proxy.port());
  o.connect_timeout = std::chrono::milliseconds(60'000);
  o.request_timeout = std::chrono::milliseconds(60'000);
  auto till = NewTill("T1", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(till->sync->Start().ok());
  // Wait for the client's first bytes (the TLS hello): the request is on
  // the wire and the transfer is blocked in libcurl.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (proxy.client_bytes() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_GT(proxy.client_bytes(), 0u);
  const auto start = std::chrono::steady_clock::now();
  till->sync->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(till->sync->status().acked_seq, 0);
}

TEST_F(SyncTest, ADripFeedTimesOutAndARefusedPortIsANetworkError) {
  FaultProxy proxy(static_cast<std::uint16_t>(server_->port()));
  proxy.SetMode(FaultProxy::Mode::kDrip);
  SyncOptions o = OptionsFor(proxy.port());
  o.low_speed_bytes_per_s = 100;
  o.low_speed_time = std::chrono::seconds(1);
  // The whole-request timeout far away, so that only the low-speed limit
  // can end this request in time; the bound is a safety net, not a figure.
  o.request_timeout = std::chrono::milliseconds(300'000);
  auto till = NewTill("T1", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  const auto start = std::chrono::steady_clock::now();
  Status s = till->sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));

  SyncOptions refused = OptionsFor(ClosedPort());
  Till other("T2");
  Attach(other, refused);
  ASSERT_TRUE(other->Enroll({"e2", Card("LC0002"), "", "Bo"}).ok());
  Status r = other.sync->SyncNow();
  EXPECT_EQ(r.code(), StatusCode::kNetworkError) << r.ToString();
  EXPECT_EQ(other.sync->status().backlog, 2);  // its program entry and the enrolment
}

TEST_F(SyncTest, AResetInTheMiddleOfTheAnswerIsRetriedAndCountedOnce) {
  FaultProxy proxy(static_cast<std::uint16_t>(server_->port()));
  SyncOptions o = OptionsFor(proxy.port());
  auto till = NewTill("T1", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Trade(*till, "LC0001", 3, "s");
  // The server's bytes of a whole first exchange on a fresh connection,
  // measured on a throwaway till, tell where the answer's middle is.
  Till probe("P1");
  ASSERT_TRUE(server_->store().AddTerminal("P1", probe.t.options.terminal_key).ok());
  Attach(probe, o);
  ASSERT_TRUE(probe->Enroll({"p", Card("LC0099"), "", "Probe"}).ok());
  ASSERT_TRUE(probe.sync->PumpOnce().ok());
  probe.sync.reset();  // closes its connection, so the proxy counts it
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (proxy.last_server_bytes() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_GT(proxy.last_server_bytes(), 200u);
  proxy.SetMode(FaultProxy::Mode::kResetAfter, proxy.last_server_bytes() - 60);
  Status s = till->sync->PumpOnce();
  EXPECT_EQ(s.code(), StatusCode::kNetworkError) << s.ToString();
  proxy.SetMode(FaultProxy::Mode::kPass);
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  ExpectDelivered(*server_, *till);
  EXPECT_EQ(ServerPoints(*till, "LC0001"), 10 + 11 + 12);
}

}  // namespace
}  // namespace loyalty::testing
