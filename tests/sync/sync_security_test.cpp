// TLS refusals name their cause; the server refuses tampered, replayed and
// stale requests; a till whose clock is off recovers in one round trip.
#include "sync/curl_transport.hpp"
#include "sync/request_signer.hpp"
#include "sync_support.hpp"

namespace loyalty::testing {
namespace {

using std::chrono::milliseconds;

// Sends whatever the Sync sends, and lets a test replay or alter it.
class TappedTransport final : public Transport {
 public:
  explicit TappedTransport(std::unique_ptr<Transport> real) : real_(std::move(real)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    HttpRequest sent = request;
    if (tamper) tamper(sent);
    last = sent;
    return real_->Send(sent);
  }
  void Cancel() override { real_->Cancel(); }
  void Resume() override { real_->Resume(); }
  Result<HttpResponse> Replay() { return real_->Send(last); }

  std::function<void(HttpRequest&)> tamper;
  HttpRequest last;

 private:
  std::unique_ptr<Transport> real_;
};

class SyncTlsTest : public SyncTest {
 protected:
  // One round of a fresh till against the server with these options.
  Status RoundWith(const SyncOptions& options) {
    Till till("TLS" + std::to_string(++count_));
    EXPECT_TRUE(server_->store().AddTerminal(till.id, till.t.options.terminal_key).ok());
    Attach(till, options);
    EXPECT_TRUE(till->Enroll({"e", Card("LC0001"), "", "Ada"}).ok());
    Status s = till.sync->SyncNow();
    EXPECT_EQ(till.sync->status().acked_seq, s.ok() ? 2 : 0);  // the program, the enrolment
    return s;
  }
  void RestartWithCertificate(const KeyAndCert& tls, const std::string& client_ca = "") {
    const int port = server_->port();
    server_.reset();
    server_tls_ = tls;
    StartServer(client_ca, port);
  }
  int count_ = 0;
};

TEST_F(SyncTlsTest, TheRightCaAndHostWork) {
  EXPECT_TRUE(RoundWith(OptionsFor(server_->port())).ok());
}

TEST_F(SyncTlsTest, AnotherCaIsRefusedAsNotTrusted) {
  TestCa other("Some Other CA");
  SyncOptions o = OptionsFor(server_->port());
  o.ca_pem = other.cert_pem();
  Status s = RoundWith(o);
  EXPECT_EQ(s.code(), StatusCode::kTlsRefused);
  EXPECT_NE(s.message().find("not trusted"), std::string::npos) << s.message();
}

TEST_F(SyncTlsTest, ACertificateForAnotherHostIsRefusedAsSuch) {
  LeafSpec spec;
  spec.common_name = "other.example";
  spec.dns = {"other.example"};
  RestartWithCertificate(ca_.Issue(spec));
  Status s = RoundWith(OptionsFor(server_->port()));
  EXPECT_EQ(s.code(), StatusCode::kTlsRefused);
  EXPECT_NE(s.message().find("host name"), std::string::npos) << s.message();
}

TEST_F(SyncTlsTest, AnExpiredCertificateIsRefusedAsExpired) {
  LeafSpec spec;
  spec.ips = {"127.0.0.1"};
  spec.not_before_s = -2 * 86'400;
  spec.not_after_s = -86'400;
  RestartWithCertificate(ca_.Issue(spec));
  Status s = RoundWith(OptionsFor(server_->port()));
  EXPECT_EQ(s.code(), StatusCode::kTlsRefused);
  EXPECT_NE(s.message().find("expired"), std::string::npos) << s.message();
}

TEST_F(SyncTlsTest, APinnedKeyMustMatch) {
  SyncOptions good = OptionsFor(server_->port());
  good.pinned_public_key = PinOf(server_tls_.cert_pem);
  EXPECT_TRUE(RoundWith(good).ok());
  SyncOptions bad = OptionsFor(server_->port());
  bad.pinned_public_key = PinOf(ca_.Server().cert_pem);  // same CA, another key
  Status s = RoundWith(bad);
  EXPECT_EQ(s.code(), StatusCode::kTlsRefused);
  EXPECT_NE(s.message().find("pinned"), std::string::npos) << s.message();
}

TEST_F(SyncTlsTest, MutualTlsWantsTheTerminalsOwnCertificate) {
  TestCa terminals("Terminal CA");
  RestartWithCertificate(server_tls_, terminals.cert_pem());
  SyncOptions none = OptionsFor(server_->port());
  Status missing = RoundWith(none);
  EXPECT_EQ(missing.code(), StatusCode::kTlsRefused) << missing.ToString();
  EXPECT_NE(missing.message().find("client certificate"), std::string::npos) << missing.message();

  SyncOptions own = OptionsFor(server_->port());
  const KeyAndCert cert = terminals.Client("TLS" + std::to_string(count_ + 1));
  own.client_cert_pem = cert.cert_pem;
  own.client_key_pem = cert.key_pem;
  EXPECT_TRUE(RoundWith(own).ok());

  SyncOptions someone_elses = OptionsFor(server_->port());
  const KeyAndCert other = terminals.Client("T-somebody-else");
  someone_elses.client_cert_pem = other.cert_pem;
  someone_elses.client_key_pem = other.key_pem;
  Status s = RoundWith(someone_elses);
  EXPECT_EQ(s.code(), StatusCode::kServerRefused);
  EXPECT_NE(s.message().find("certificate_mismatch"), std::string::npos) << s.message();
}

TEST_F(SyncTest, TamperedAndReplayedRequestsAreRefusedByTheServer) {
  SyncOptions o = OptionsFor(server_->port());
  auto real = sync::MakeCurlTransport(o);
  ASSERT_TRUE(real.ok());
  TappedTransport tap(std::move(*real));
  o.transport = &tap;
  auto till = NewTill("T1", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());

  tap.tamper = [](HttpRequest& r) {  // a points field changed on the way
    const size_t at = r.body.find("\"points\":");
    if (at != std::string::npos) r.body.insert(at + 9, "1");
  };
  Status s = till->sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kServerRefused);
  EXPECT_NE(s.message().find("bad_signature"), std::string::npos) << s.message();
  EXPECT_EQ(till->sync->status().acked_seq, 0);

  tap.tamper = nullptr;
  ASSERT_TRUE(till->sync->SyncNow().ok()) << till->sync->status().last_error.ToString();
  // The last request (a pull) sent again byte for byte: refused.
  auto replay = tap.Replay();
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->status, 401);
  EXPECT_NE(replay->body.find("nonce_reused"), std::string::npos) << replay->body;

  tap.tamper = [](HttpRequest& r) {  // a timestamp from an hour ago, re-signed by nobody
    for (auto& [name, value] : r.headers) {
      if (name == "X-Loyalty-Timestamp") value = std::to_string(std::stoll(value) - 3'600'000);
    }
  };
  Status stale = till->sync->SyncNow();
  EXPECT_EQ(stale.code(), StatusCode::kServerRefused);
  EXPECT_NE(stale.message().find("bad_signature"), std::string::npos) << stale.message();
}

TEST_F(SyncTest, ATillClockAnHourOffRecoversInOneRoundTrip) {
  Till till("T1");
  ASSERT_TRUE(server_->store().AddTerminal("T1", till.t.options.terminal_key).ok());
  till.t.clock.SetMs(WallMs() - 3'600'000);
  Attach(till, OptionsFor(server_->port()));
  ASSERT_TRUE(till->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  const int before = server_->requests();
  ASSERT_TRUE(till.sync->SyncNow().ok()) << till.sync->status().last_error.ToString();
  // push refused for skew, push again, pull: three exchanges.
  EXPECT_EQ(server_->requests(), before + 3);
  const auto offset = till.sync->status().clock_offset;
  EXPECT_NEAR(static_cast<double>(offset.count()), 3'600'000.0, 5'000.0);
  EXPECT_EQ(till.sync->status().backlog, 0);
  // The offset is kept: the next round needs no correction.
  ASSERT_TRUE(till->Enroll({"e2", Card("LC0002"), "", "Bo"}).ok());
  const int again = server_->requests();
  ASSERT_TRUE(till.sync->SyncNow().ok());
  EXPECT_EQ(server_->requests(), again + 2);
}

TEST_F(SyncTest, AForkedTillIsStoppedAndTold) {
  auto till = NewTill("T1");
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE((*till)->Commit({"s1", Card("LC0001"), Eur({5000}), 0}).ok());
  ASSERT_TRUE(till->sync->SyncNow().ok());
  // The till's file is replaced by one with another history for seq 1..2
  // (a second till cloned with the same id and key).
  Till twin("T1");
  ASSERT_TRUE(twin->Enroll({"x1", Card("LC0002"), "", "Eve"}).ok());
  ASSERT_TRUE(twin->Commit({"x2", Card("LC0002"), Eur({9000}), 0}).ok());
  Attach(twin, OptionsFor(server_->port()));
  Status s = twin.sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kSyncFork) << s.ToString();
  EXPECT_NE(s.message().find("fork at seq 1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("docs/sync-protocol.md"), std::string::npos) << s.message();
  EXPECT_TRUE(twin.sync->status().halted);
  // Pushing stays stopped, across a restart too.
  twin.sync.reset();
  Attach(twin, OptionsFor(server_->port()));
  EXPECT_TRUE(twin.sync->status().halted);
  EXPECT_EQ(twin.sync->SyncNow().code(), StatusCode::kSyncFork);
  EXPECT_EQ(twin.sync->status().last_error.code(), StatusCode::kSyncFork);
  auto stored = server_->store().StoredEntries("T1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, 3) << "the forked entries were not stored";  // program, enrol, sale
}

// Setup mistakes a till makes come back as what they are, each naming
// the option to fix, not as network trouble.
TEST_F(SyncTest, AnUnregisteredTerminalIsToldSo) {
  Till till("T-NEW");  // never added to the server
  Attach(till, OptionsFor(server_->port()));
  ASSERT_TRUE(till->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Status s = till.sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kUnknownTerminal) << s.ToString();
  EXPECT_NE(s.message().find("terminal_id"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("add-terminal"), std::string::npos) << s.message();
  const SyncStatus kept = till.sync->status();  // kept, sent once registered
  EXPECT_GT(kept.backlog, 0);
  EXPECT_EQ(kept.backlog, kept.head_seq);
  ASSERT_TRUE(server_->store().AddTerminal("T-NEW", till.t.options.terminal_key).ok());
  EXPECT_TRUE(till.sync->SyncNow().ok()) << till.sync->status().last_error.ToString();
  EXPECT_EQ(till.sync->status().backlog, 0);
}

TEST_F(SyncTest, ATerminalKeyThatIsNotTheServersIsToldSo) {
  Till till("T2");
  ASSERT_TRUE(server_->store().AddTerminal("T2", "another key of T2, 32 bytes or more").ok());
  Attach(till, OptionsFor(server_->port()));
  ASSERT_TRUE(till->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Status s = till.sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kKeyMismatch) << s.ToString();
  EXPECT_NE(s.message().find("terminal_key"), std::string::npos) << s.message();
}

TEST_F(SyncTest, AReceiptKeyThatIsNotTheServersIsToldSo) {
  auto other = server::NewEd25519KeyPair();
  ASSERT_TRUE(other.ok());
  SyncOptions o = OptionsFor(server_->port());
  o.receipt_public_key_pem = other->second;
  auto till = NewTill("T3", &o);
  ASSERT_TRUE((*till)->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Status s = till->sync->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kKeyMismatch) << s.ToString();
  EXPECT_NE(s.message().find("receipt_public_key_pem"), std::string::npos) << s.message();
  EXPECT_EQ(till->sync->status().acked_seq, 0);
}

}  // namespace
}  // namespace loyalty::testing
