// The central server on its store (issue 19), run once per backend: SQLite
// by default, PostgreSQL under with_postgres.sh (tests/server/CMakeLists.txt).
// Two real loyalty-server processes share one store, tills push to both at
// once (the same batches to both, too), and every entry is stored once.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <thread>
#include <utility>
#include <vector>

#include "central_server.hpp"
#include "light_till.hpp"
#include "open_store.hpp"
#include "postgres_store.hpp"
#include "support/test_env.hpp"
#include "support/test_pki.hpp"
#include "test_store.hpp"

namespace loyalty::testing {
namespace {

using nlohmann::json;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Key(int n) { return std::string(32, static_cast<char>('a' + n % 26)) + std::to_string(n); }

void WriteFile(const std::string& path, const std::string& text, bool secret = false) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  if (secret) {
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace);
  }
}

// One `loyalty-server serve` process; SIGTERM and reaped on destruction.
class ServerProcess {
 public:
  ServerProcess(const std::string& db, const std::string& dir, int n) {
    port_file_ = dir + "/port-" + std::to_string(n);
    const std::string log = dir + "/server-" + std::to_string(n) + ".log";
    std::vector<std::string> args = {LOYALTY_SERVER_BINARY, "serve", "--db", db,
                                     "--cert", dir + "/server.pem", "--key", dir + "/server.key",
                                     "--receipt-key", dir + "/receipt.key", "--port", "0",
                                     "--port-file", port_file_};
    pid_ = fork();
    if (pid_ == 0) {
      // Dies with the test, even when the test is killed.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      std::FILE* out = std::freopen(log.c_str(), "w", stdout);
      if (out != nullptr) dup2(fileno(stdout), STDERR_FILENO);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  // The port, once the process wrote it (0 when it died first).
  int WaitForPort() {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < give_up) {
      std::ifstream in(port_file_);
      int port = 0;
      if (in >> port && port > 0) return port;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

 private:
  pid_t pid_ = -1;
  std::string port_file_;
};

std::unique_ptr<httplib::SSLClient> Client(int port) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  // The till's TLS checks are the sync tests' business; these test the store.
  c->enable_server_certificate_verification(false);
  c->set_read_timeout(120, 0);
  c->set_write_timeout(120, 0);
  c->set_keep_alive(true);
  return c;
}

// One metric's value in a Prometheus text exposition (-1 when absent).
double Metric(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

class ServerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A server closing an idle keep-alive connection must not kill the
    // test when a client writes to it next (httplib then reconnects).
    signal(SIGPIPE, SIG_IGN);
    auto receipt = server::NewEd25519KeyPair();
    ASSERT_TRUE(receipt.ok());
    receipt_keys_ = *receipt;
    tls_ = ca_.Server();
    db_ = FreshStore(dir_.File("central.db"));
  }

  std::unique_ptr<server::CentralStore> Store() {
    auto store = server::OpenStore(db_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::unique_ptr<server::CentralServer> StartInProcess() {
    server::ServerOptions o;
    o.db_path = db_;
    o.cert_pem = tls_.cert_pem;
    o.key_pem = tls_.key_pem;
    o.receipt_key_pem = receipt_keys_.first;
    o.keep_alive_s = 1;
    auto started = server::CentralServer::Start(o);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    return started.ok() ? std::move(*started) : nullptr;
  }

  void WriteServerFiles() const {
    WriteFile(dir_.File("server.pem"), tls_.cert_pem);
    WriteFile(dir_.File("server.key"), tls_.key_pem, true);
    WriteFile(dir_.File("receipt.key"), receipt_keys_.first, true);
  }

  TestCa ca_;
  KeyAndCert tls_;
  std::pair<std::string, std::string> receipt_keys_;
  ScratchDir dir_;
  std::string db_;
};

TEST_F(ServerStoreTest, TwoServerProcessesStoreEveryEntryOnceUnderConcurrentPushes) {
  WriteServerFiles();
  // Both start at once on a fresh store: they race to create the schema.
  ServerProcess a(db_, dir_.path().string(), 1), b(db_, dir_.path().string(), 2);
  const int port_a = a.WaitForPort(), port_b = b.WaitForPort();
  ASSERT_GT(port_a, 0) << "server 1 did not start (" << StoreBackend() << ")";
  ASSERT_GT(port_b, 0) << "server 2 did not start (" << StoreBackend() << ")";
  auto store = Store();
  ASSERT_TRUE(store);

  // Each till enrols two customers of its own; every till also earns on
  // two customers shared by all (their balance rows are fought over).
  constexpr int kTills = 6, kEntriesPerTill = 180;
  const std::int64_t t0 = NowMs();
  LightTill shared("shared", Key(99));
  ASSERT_TRUE(store->AddTerminal(shared.id(), shared.key()).ok());
  shared.Enroll("acct-shared-0", t0);
  shared.Enroll("acct-shared-1", t0);
  {
    auto http = Client(port_a);
    auto r = shared.Push(*http, shared.MakeBatch(1, 2), NowMs());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->status, 200) << r->body;
  }
  std::vector<std::unique_ptr<LightTill>> tills;
  std::map<std::string, std::int64_t> expected = {{"acct-shared-0", 0}, {"acct-shared-1", 0}};
  for (int t = 0; t < kTills; ++t) {
    auto till = std::make_unique<LightTill>("till-" + std::to_string(t), Key(t));
    ASSERT_TRUE(store->AddTerminal(till->id(), till->key()).ok());
    const std::string own = "acct-" + std::to_string(t) + "-";
    till->Enroll(own + "0", t0);
    till->Enroll(own + "1", t0);
    expected[own + "0"] = expected[own + "1"] = 0;
    while (till->last_seq() < kEntriesPerTill) {
      const std::int64_t n = till->last_seq();
      const std::string account = n % 3 == 0 ? "acct-shared-" + std::to_string(n % 2)
                                             : own + std::to_string(n % 2);
      const std::int64_t points = n % 7 == 0 ? -3 : static_cast<std::int64_t>(n % 11 + 1);
      till->Earn(account, points, t0 + n);
      expected[account] += points;
    }
    tills.push_back(std::move(till));
  }

  // Per till, three senders at once: batches of 20 to server 1, the very
  // same batches to server 2, and batches of 15 (other ids, overlapping)
  // alternating between the two.
  std::mutex mutex;
  std::vector<std::string> failures;
  std::map<std::string, std::map<int, std::string>> answers;  // batch id -> sender -> body
  auto send_all = [&](LightTill& till, int sender, int size, bool alternate) {
    auto http_a = Client(port_a), http_b = Client(port_b);
    int k = 0;
    for (std::int64_t first = 1; first <= till.last_seq(); first += size, ++k) {
      const auto batch = till.MakeBatch(first, std::min<std::int64_t>(first + size - 1,
                                                                      till.last_seq()));
      const bool to_b = alternate ? k % 2 == 1 : sender == 1;
      auto& http = to_b ? *http_b : *http_a;
      auto r = till.Push(http, batch, NowMs());
      // A network error before any answer (a keep-alive connection the
      // server closed as the request went out: more likely the busier the
      // machine) is what a till meets and answers by sending the batch
      // again; exactly-once is the server's to keep, and is checked below.
      for (int again = 0; again < 3 && !r.ok(); ++again) r = till.Push(http, batch, NowMs());
      std::lock_guard<std::mutex> guard(mutex);
      if (!r.ok() || r->status != 200) {
        failures.push_back(till.id() + " " + batch.batch_id + ": " +
                           (r.ok() ? std::to_string(r->status) + " " + r->body
                                   : r.status().ToString()));
        return;
      }
      const json answer = json::parse(r->body);
      if (answer.at("halted").get<bool>()) failures.push_back(batch.batch_id + " halted: " + r->body);
      // The head may be past this batch: another sender got there first.
      if (answer.at("acked_through_seq").get<std::int64_t>() < batch.last_seq) {
        failures.push_back(batch.batch_id + " acked short: " + r->body);
      }
      answers[batch.batch_id][sender] = r->body;
    }
  };
  std::vector<std::thread> senders;
  for (auto& till : tills) {
    senders.emplace_back(send_all, std::ref(*till), 0, 20, false);
    senders.emplace_back(send_all, std::ref(*till), 1, 20, false);
    senders.emplace_back(send_all, std::ref(*till), 2, 15, true);
  }
  for (std::thread& s : senders) s.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();

  // The same batch to both servers: one applied it, the other answered
  // the stored answer, byte for byte.
  int compared = 0;
  for (const auto& [batch_id, bodies] : answers) {
    if (bodies.count(0) > 0 && bodies.count(1) > 0) {
      EXPECT_EQ(bodies.at(0), bodies.at(1)) << batch_id;
      ++compared;
    }
  }
  EXPECT_EQ(compared, kTills * (kEntriesPerTill / 20));

  // Every entry stored once, every balance the sum of its entries.
  std::int64_t total = shared.last_seq();
  for (const auto& till : tills) {
    auto stored = store->StoredEntries(till->id());
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    EXPECT_EQ(*stored, kEntriesPerTill) << till->id();
    total += kEntriesPerTill;
  }
  auto all = store->TotalEntries();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, total);
  for (const auto& [account, points] : expected) {
    auto balance = store->Balance(account);
    ASSERT_TRUE(balance.ok() && *balance) << account;
    EXPECT_EQ((*balance)->points, points) << account;
  }
  auto disagreeing = store->BalancesDisagreeing();
  ASSERT_TRUE(disagreeing.ok()) << disagreeing.status().ToString();
  EXPECT_EQ(*disagreeing, 0);

  // Across both processes each entry was applied once: their counters add
  // up to the entries stored (duplicates and replays counted apart).
  double applied = 0, flagged = 0;
  for (int port : {port_a, port_b}) {
    auto http = Client(port);
    auto res = http->Get("/metrics");
    ASSERT_TRUE(res) << "GET /metrics on " << port;
    ASSERT_EQ(res->status, 200);
    applied += Metric(res->body, "loyalty_entries_total{result=\"applied\"}");
    flagged += Metric(res->body, "loyalty_entries_total{result=\"flagged\"}");
  }
  EXPECT_EQ(static_cast<std::int64_t>(applied + flagged), total);
}

TEST_F(ServerStoreTest, HealthAndMetricsTellWhatThePushesDid) {
  auto server = StartInProcess();
  ASSERT_TRUE(server);
  auto http = Client(server->port());
  auto health = http->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body).at("status"), "ok");

  LightTill till("T1", Key(1));
  ASSERT_TRUE(server->store().AddTerminal(till.id(), till.key()).ok());
  const std::int64_t t0 = NowMs() - 90'000;
  till.Enroll("acct-1", t0);
  till.Earn("acct-1", 10, t0);
  till.Earn("acct-1", -25, t0);      // an offline overshoot: applied, flagged
  till.Earn("acct-unknown", 5, t0);  // no such account: rejected
  const auto batch = till.MakeBatch(1, 4);
  for (int i = 0; i < 2; ++i) {  // the second time: the stored answer
    auto r = till.Push(*http, batch, NowMs());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->status, 200) << r->body;
  }
  auto pull = till.Pull(*http, 0, 100, NowMs());
  ASSERT_TRUE(pull.ok());
  EXPECT_EQ(pull->status, 200);

  auto res = http->Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  const std::string& m = res->body;
  EXPECT_EQ(Metric(m, "loyalty_pushes_total{status=\"200\"}"), 2) << m;
  EXPECT_EQ(Metric(m, "loyalty_pulls_total{status=\"200\"}"), 1) << m;
  EXPECT_EQ(Metric(m, "loyalty_entries_total{result=\"applied\"}"), 2) << m;
  EXPECT_EQ(Metric(m, "loyalty_entries_total{result=\"flagged\"}"), 1) << m;
  EXPECT_EQ(Metric(m, "loyalty_entries_total{result=\"rejected\"}"), 1) << m;
  EXPECT_EQ(Metric(m, "loyalty_batches_replayed_total"), 1) << m;
  EXPECT_EQ(Metric(m, "loyalty_stored_entries"), 4) << m;
  EXPECT_EQ(Metric(m, "loyalty_terminal_head_seq{terminal=\"T1\"}"), 4) << m;
  // The newest entry is 90 s old at the till's clock.
  EXPECT_GE(Metric(m, "loyalty_terminal_lag_seconds{terminal=\"T1\"}"), 90) << m;
  EXPECT_GE(Metric(m, "loyalty_terminal_last_push_age_seconds{terminal=\"T1\"}"), 0) << m;
  EXPECT_EQ(Metric(m, "loyalty_push_seconds_count"), 2) << m;
  // The balance is what the counted entries sum to, rejected one aside.
  auto balance = server->store().Balance("acct-1");
  ASSERT_TRUE(balance.ok() && *balance);
  EXPECT_EQ((*balance)->points, -15);
  EXPECT_EQ(*server->store().BalancesDisagreeing(), 0);
}

TEST_F(ServerStoreTest, APullReturnsEachChangedBalanceOnceAndOnlyWhatChangedSince) {
  auto server = StartInProcess();
  ASSERT_TRUE(server);
  auto http = Client(server->port());
  LightTill till("T1", Key(1));
  ASSERT_TRUE(server->store().AddTerminal(till.id(), till.key()).ok());
  const std::int64_t t0 = NowMs();
  for (int a = 0; a < 5; ++a) till.Enroll("acct-" + std::to_string(a), t0);
  for (int i = 0; i < 5; ++i) {  // five pushes, each moving every account
    const std::int64_t first = till.last_seq() + 1;
    for (int a = 0; a < 5; ++a) till.Earn("acct-" + std::to_string(a), 1, t0);
    auto r = till.Push(*http, till.MakeBatch(i == 0 ? 1 : first, till.last_seq()), NowMs());
    ASSERT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
  }
  auto page = [&](std::int64_t cursor) {
    auto r = till.Pull(*http, cursor, 100, NowMs());
    EXPECT_TRUE(r.ok() && r->status == 200);
    return r.ok() ? json::parse(r->body) : json::object();
  };
  json all = page(0);
  ASSERT_EQ(all.at("changes").size(), 5u) << all.dump();  // each account once, at its newest
  for (const json& c : all.at("changes")) EXPECT_EQ(c.at("points"), 5) << c.dump();
  const std::int64_t cursor = std::stoll(all.at("next_cursor").get<std::string>());
  EXPECT_EQ(page(cursor).at("changes").size(), 0u);

  const std::int64_t first = till.last_seq() + 1;
  till.Earn("acct-3", 7, t0);
  auto r = till.Push(*http, till.MakeBatch(first, till.last_seq()), NowMs());
  ASSERT_TRUE(r.ok() && r->status == 200);
  json since = page(cursor);
  ASSERT_EQ(since.at("changes").size(), 1u) << since.dump();
  EXPECT_EQ(since.at("changes")[0].at("account_id"), "acct-3");
  EXPECT_EQ(since.at("changes")[0].at("points"), 12);
  EXPECT_FALSE(since.at("has_more").get<bool>());
}

TEST_F(ServerStoreTest, AVoidedLoadLowersTheServersBalanceAndIsPulledBack) {
  auto server = StartInProcess();
  ASSERT_TRUE(server);
  auto http = Client(server->port());
  LightTill till("T1", Key(1));
  ASSERT_TRUE(server->store().AddTerminal(till.id(), till.key()).ok());
  const std::int64_t t0 = NowMs();
  till.Enroll("acct-1", t0);
  const std::int64_t load = till.Money("acct-1", "wallet", 5000, std::nullopt, t0);
  till.Money("acct-1", "wallet", -1000, std::nullopt, t0);  // paid a sale
  auto r = till.Push(*http, till.MakeBatch(1, till.last_seq()), NowMs());
  ASSERT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
  EXPECT_EQ(*server->store().StoredValue("acct-1", "wallet"), 4000);
  auto pulled = till.Pull(*http, 0, 100, NowMs());
  ASSERT_TRUE(pulled.ok() && pulled->status == 200);
  const std::int64_t cursor =
      std::stoll(json::parse(pulled->body).at("next_cursor").get<std::string>());

  // What was left of the load taken back: a negative entry pointing at it.
  const std::int64_t first = till.last_seq() + 1;
  till.Money("acct-1", "wallet", -4000, load, t0);
  r = till.Push(*http, till.MakeBatch(first, till.last_seq()), NowMs());
  ASSERT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
  const json answer = json::parse(r->body);
  EXPECT_TRUE(answer.value("results", json::array()).empty())
      << "applied as it is, not flagged: " << answer.dump();
  EXPECT_EQ(*server->store().StoredValue("acct-1", "wallet"), 0);
  pulled = till.Pull(*http, cursor, 100, NowMs());
  ASSERT_TRUE(pulled.ok() && pulled->status == 200);
  bool seen = false;
  const json changes = json::parse(pulled->body).at("changes");
  for (const json& c : changes) {
    if (c.at("kind") != "stored_value") continue;
    seen = true;
    EXPECT_EQ(c.at("account_id"), "acct-1");
    EXPECT_EQ(c.at("ref"), "wallet");
    EXPECT_EQ(c.at("balance_minor"), 0) << c.dump();
  }
  EXPECT_TRUE(seen) << pulled->body;
}

TEST_F(ServerStoreTest, ABadDbStringIsRefusedWithWhatIsWrong) {
  auto unknown = server::OpenStore("mysql://db.example/loyalty");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown scheme 'mysql'"), std::string::npos)
      << unknown.status().message();
  auto empty = server::OpenStore("sqlite:");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no file named"), std::string::npos);
  auto nowhere = server::OpenStore("postgresql:///loyalty?host=" + dir_.File("no-such-socket"));
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.status().message().find("cannot connect"), std::string::npos)
      << nowhere.status().message();
  // Both spellings of the default still open SQLite.
  for (const std::string& db : {dir_.File("plain.db"), "sqlite:" + dir_.File("prefixed.db")}) {
    auto store = server::OpenStore(db);
    ASSERT_TRUE(store.ok()) << db << ": " << store.status().ToString();
    EXPECT_TRUE((*store)->Ping().ok());
  }
}

TEST_F(ServerStoreTest, APoolSizeInThePostgresqlUriIsCheckedAndUsed) {
  const std::string base = "postgresql:///loyalty?host=" + dir_.File("no-such-socket");
  for (const char* bad : {"0", "257", "abc", "8x", ""}) {
    auto refused = server::OpenStore(base + "&pool_size=" + std::string(bad));
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(refused.status().message().find("pool_size must be a whole number from 1 to 256"),
              std::string::npos)
        << refused.status().message();
  }
  if (StoreBackend() != "postgresql") return;  // the rest needs a database
  // First, last or only parameter: libpq gets the others and connects.
  const std::string uri = db_;
  const std::size_t q = uri.find('?');
  for (const auto& [with_size, size] : std::vector<std::pair<std::string, int>>{
           {uri + "&pool_size=3", 3},
           {uri.substr(0, q + 1) + "pool_size=1&" + uri.substr(q + 1), 1},
           {uri, server::kDefaultPoolSize}}) {
    auto store = server::OpenStore(with_size);
    ASSERT_TRUE(store.ok()) << with_size << ": " << store.status().ToString();
    auto* pg = dynamic_cast<server::PostgresStore*>(store->get());
    ASSERT_NE(pg, nullptr);
    EXPECT_EQ(pg->pool_size(), size) << with_size;
    EXPECT_TRUE(pg->Ping().ok());
  }
}

TEST_F(ServerStoreTest, OpeningAStoreAgainKeepsItsData) {
  {
    auto store = Store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->AddTerminal("T1", Key(1)).ok());
    ASSERT_TRUE(store->SetPolicy(60'000, 100).ok());
  }
  auto again = Store();  // the schema is there: nothing to migrate, nothing lost
  ASSERT_TRUE(again);
  auto t = again->FindTerminal("T1");
  ASSERT_TRUE(t.ok() && *t);
  EXPECT_EQ((*t)->key, Key(1));
  auto terminals = again->Terminals();
  ASSERT_TRUE(terminals.ok());
  ASSERT_EQ(terminals->size(), 1u);
  EXPECT_EQ((*terminals)[0].head_seq, 0);
  EXPECT_FALSE((*terminals)[0].head_at.has_value());
}

}  // namespace
}  // namespace loyalty::testing
