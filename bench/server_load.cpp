// Load test of the central server (issue 19; bench/README.md, not CI):
// `--tills` light tills (tests/server/light_till.hpp: chained, MAC'd
// entries and the real wire format, no ledger) push `--entries` entries in
// all, in batches, to `--servers` loyalty-server processes sharing one
// store, pulling their changes in between. Reports entries/s, push latency
// (p50/p99), store size per entry and each server's RSS; then checks that
// every till's entries are stored exactly once and every balance agrees
// with what the tills sent (and with the sum of the stored entries).
//
//   loyalty_server_load --db sqlite:/tmp/load/central.db [--tills 1000] ...
//   with_postgres.sh loyalty_server_load --db postgresql   (a fresh database
//        on the PostgreSQL with_postgres.sh started)
#include <CLI/CLI.hpp>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "central_server.hpp"
#include "light_till.hpp"
#include "open_store.hpp"
#include "pg_connection.hpp"
#include "support/test_pki.hpp"
#include "test_store.hpp"

namespace {

using loyalty::testing::LightTill;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "loyalty_server_load: " << what << "\n";
  std::exit(1);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
}

// VmRSS and VmHWM (peak) of a process, in KiB.
std::pair<long, long> Rss(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long rss = 0, hwm = 0;
  while (in >> key) {
    if (key == "VmRSS:") in >> rss;
    if (key == "VmHWM:") in >> hwm;
  }
  return {rss, hwm};
}

struct Server {
  pid_t pid = -1;
  int port = 0;
};

Server Spawn(const std::string& binary, const std::string& db, const std::string& dir, int n) {
  const std::string port_file = dir + "/port-" + std::to_string(n);
  std::vector<std::string> args = {binary, "serve", "--db", db, "--cert", dir + "/server.pem",
                                   "--key", dir + "/server.key", "--receipt-key",
                                   dir + "/receipt.key", "--port", "0", "--port-file", port_file};
  Server s;
  s.pid = fork();
  if (s.pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // dies with the driver
    std::FILE* out = std::freopen((dir + "/server-" + std::to_string(n) + ".log").c_str(), "w", stdout);
    if (out != nullptr) dup2(fileno(stdout), STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto give_up = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < give_up) {
    std::ifstream in(port_file);
    if (in >> s.port && s.port > 0) return s;
    if (waitpid(s.pid, nullptr, WNOHANG) == s.pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Die("server " + std::to_string(n) + " did not start; see " + dir + "/server-" +
      std::to_string(n) + ".log");
}

std::unique_ptr<httplib::SSLClient> Client(int port) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  c->enable_server_certificate_verification(false);
  c->set_read_timeout(300, 0);
  c->set_write_timeout(300, 0);
  c->set_keep_alive(true);
  return c;
}

std::int64_t StoreBytes(const std::string& db) {
  if (db.rfind("postgres", 0) == 0) {
    auto c = loyalty::server::pg::Connection::Open(db);
    if (!c.ok()) Die(c.status().ToString());
    auto r = (*c)->Exec("SELECT pg_database_size(current_database())");
    if (!r.ok()) Die(r.status().ToString());
    return r->Int(0, 0);
  }
  const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  std::int64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path + suffix, ec);
    if (!ec) bytes += static_cast<std::int64_t>(n);
  }
  return bytes;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Load test of the central server: many light tills, several server processes"};
  std::string db, binary = LOYALTY_SERVER_BINARY, work;
  int tills = 1000, servers = 2, batch = 50, workers = 32, pull_every = 5, shared_accounts = 2000;
  std::int64_t entries = 1'000'000;
  app.add_option("--db", db,
                 "the store: sqlite:PATH, a postgresql:// URI, or 'postgresql' for a fresh "
                 "database on with_postgres.sh's server")->required();
  app.add_option("--tills", tills)->check(CLI::Range(1, 100000));
  app.add_option("--entries", entries, "entries in all")->check(CLI::Range(1, 100'000'000));
  app.add_option("--servers", servers)->check(CLI::Range(1, 16));
  app.add_option("--batch", batch, "entries per push")->check(CLI::Range(1, 5000));
  app.add_option("--workers", workers, "driver threads")->check(CLI::Range(1, 1024));
  app.add_option("--pull-every", pull_every, "a till pulls after this many of its pushes");
  app.add_option("--shared-accounts", shared_accounts, "customers who shop at every till");
  app.add_option("--server-binary", binary);
  app.add_option("--work-dir", work, "certificates, logs (default: a new temporary folder)");
  CLI11_PARSE(app, argc, argv);
  signal(SIGPIPE, SIG_IGN);

  if (work.empty()) {
    char tmpl[] = "/tmp/loyalty-load.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Die("mkdtemp");
    work = tmpl;
  }
  if (db == "postgresql") db = loyalty::testing::FreshStore("");
  loyalty::testing::TestCa ca;
  const auto tls = ca.Server();
  auto receipt = loyalty::server::NewEd25519KeyPair();
  if (!receipt.ok()) Die(receipt.status().ToString());
  WriteFile(work + "/server.pem", tls.cert_pem);
  WriteFile(work + "/server.key", tls.key_pem);
  WriteFile(work + "/receipt.key", receipt->first);

  // The store first (schema, terminals), then the servers on it.
  auto store = loyalty::server::OpenStore(db);
  if (!store.ok()) Die(store.status().ToString());
  std::vector<Server> procs;
  for (int i = 0; i < servers; ++i) procs.push_back(Spawn(binary, db, work, i));

  // The tills and their entries, made before the clock starts. A seed till
  // enrols the shared customers; each till enrols two of its own and then
  // earns (now and then spends) on its own or on shared customers.
  const std::int64_t t0 = WallMs();
  std::map<std::string, std::int64_t> expected;
  LightTill seed("seed", std::string(32, 's'));
  if (!(*store)->AddTerminal(seed.id(), seed.key()).ok()) Die("add seed");
  for (int a = 0; a < shared_accounts; ++a) {
    const std::string id = "shared-" + std::to_string(a);
    seed.Enroll(id, t0);
    expected[id] = 0;
  }
  std::vector<std::unique_ptr<LightTill>> fleet;
  std::mt19937_64 random(19);
  const std::int64_t per_till = std::max<std::int64_t>(3, entries / tills);
  for (int t = 0; t < tills; ++t) {
    auto till = std::make_unique<LightTill>("till-" + std::to_string(t),
                                            std::string(32, 'k') + std::to_string(t));
    if (!(*store)->AddTerminal(till->id(), till->key()).ok()) Die("add terminal");
    const std::string own = "own-" + std::to_string(t) + "-";
    for (int a = 0; a < 2; ++a) {
      till->Enroll(own + std::to_string(a), t0);
      expected[own + std::to_string(a)] = 0;
    }
    while (till->last_seq() < per_till) {
      const bool shared = random() % 2 == 0;
      const std::string account = shared ? "shared-" + std::to_string(random() % shared_accounts)
                                         : own + std::to_string(random() % 2);
      const std::int64_t points =
          random() % 10 == 0 ? -static_cast<std::int64_t>(random() % 20)
                             : static_cast<std::int64_t>(random() % 50 + 1);
      till->Earn(account, points, t0 + till->last_seq());
      expected[account] += points;
    }
    fleet.push_back(std::move(till));
  }
  {
    auto http = Client(procs[0].port);
    for (std::int64_t first = 1; first <= seed.last_seq(); first += 1000) {
      auto r = seed.Push(*http, seed.MakeBatch(first, std::min(seed.last_seq(), first + 999)),
                         WallMs());
      if (!r.ok() || r->status != 200) Die("seed push failed");
    }
  }
  const std::int64_t total = seed.last_seq() + per_till * tills;
  std::cout << "load: " << tills << " tills, " << per_till * tills << " entries (+"
            << seed.last_seq() << " seed), batches of " << batch << ", " << servers
            << " server processes, " << workers << " driver threads, a pull every "
            << pull_every << " pushes; store " << (db.rfind("postgres", 0) == 0 ? "PostgreSQL" : "SQLite")
            << std::endl;

  // The run: each driver thread serves its share of the tills round-robin,
  // one batch per till per round, each till to its own server.
  std::mutex mutex;
  std::vector<double> push_ms, pull_ms;
  std::atomic<std::int64_t> failures{0}, pushes{0}, pulls{0}, pulled_changes{0};
  const auto started = Clock::now();
  std::vector<std::thread> drivers;
  for (int w = 0; w < workers; ++w) {
    drivers.emplace_back([&, w] {
      std::vector<std::unique_ptr<httplib::SSLClient>> http;
      for (const Server& s : procs) http.push_back(Client(s.port));
      std::vector<double> my_push, my_pull;
      struct State {
        LightTill* till;
        std::int64_t next = 1;
        std::int64_t cursor = 0;
        int pushes = 0;
      };
      std::vector<State> mine;
      for (int t = w; t < tills; t += workers) mine.push_back({fleet[static_cast<size_t>(t)].get()});
      for (bool busy = true; busy;) {
        busy = false;
        for (size_t i = 0; i < mine.size(); ++i) {
          State& s = mine[i];
          if (s.next > s.till->last_seq()) continue;
          busy = true;
          const int server = static_cast<int>((static_cast<size_t>(w) + i * workers) % procs.size());
          const auto b = s.till->MakeBatch(s.next, std::min(s.till->last_seq(), s.next + batch - 1));
          const auto t = Clock::now();
          auto r = s.till->Push(*http[static_cast<size_t>(server)], b, WallMs());
          my_push.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
          ++pushes;
          if (!r.ok() || r->status != 200) {
            ++failures;
            std::lock_guard<std::mutex> guard(mutex);
            std::cerr << b.batch_id << ": "
                      << (r.ok() ? std::to_string(r->status) + " " + r->body.substr(0, 200)
                                 : r.status().ToString())
                      << "\n";
            continue;  // the same batch again next round
          }
          s.next = b.last_seq + 1;
          if (++s.pushes % pull_every == 0) {
            const auto tp = Clock::now();
            auto p = s.till->Pull(*http[static_cast<size_t>(server)], s.cursor, 500, WallMs());
            my_pull.push_back(std::chrono::duration<double, std::milli>(Clock::now() - tp).count());
            ++pulls;
            if (p.ok() && p->status == 200) {
              const json page = json::parse(p->body);
              s.cursor = std::stoll(page.at("next_cursor").get<std::string>());
              pulled_changes += static_cast<std::int64_t>(page.at("changes").size());
            } else {
              ++failures;
            }
          }
        }
      }
      std::lock_guard<std::mutex> guard(mutex);
      push_ms.insert(push_ms.end(), my_push.begin(), my_push.end());
      pull_ms.insert(pull_ms.end(), my_pull.begin(), my_pull.end());
    });
  }
  for (std::thread& d : drivers) d.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  std::cout << "pushes " << pushes.load() << ", pulls " << pulls.load() << " ("
            << pulled_changes.load() << " changes), failures " << failures.load() << "\n";
  std::printf("entries/s %.0f (%lld entries in %.1f s)\n",
              static_cast<double>(per_till * tills) / seconds,
              static_cast<long long>(per_till * tills), seconds);
  std::printf("push latency ms: p50 %.1f  p99 %.1f  max %.1f\n", Percentile(push_ms, 0.5),
              Percentile(push_ms, 0.99), Percentile(push_ms, 1.0));
  std::printf("pull latency ms: p50 %.1f  p99 %.1f\n", Percentile(pull_ms, 0.5),
              Percentile(pull_ms, 0.99));
  for (size_t i = 0; i < procs.size(); ++i) {
    const auto [rss, hwm] = Rss(procs[i].pid);
    std::printf("server %zu: RSS %.1f MiB (peak %.1f MiB)\n", i, static_cast<double>(rss) / 1024.0,
                static_cast<double>(hwm) / 1024.0);
  }
  for (const Server& s : procs) {
    kill(s.pid, SIGTERM);
    waitpid(s.pid, nullptr, 0);
  }
  const std::int64_t bytes = StoreBytes(db);
  std::printf("store size %.1f MiB, %.0f bytes per entry\n", static_cast<double>(bytes) / 1048576.0,
              static_cast<double>(bytes) / static_cast<double>(total));

  // The checks: every entry once, every balance as the tills sent it.
  int bad = 0;
  auto stored = (*store)->TotalEntries();
  if (!stored.ok() || *stored != total) {
    std::cout << "CHECK FAILED: " << (stored.ok() ? *stored : -1) << " entries stored, " << total
              << " sent\n";
    ++bad;
  }
  for (const auto& till : fleet) {
    auto n = (*store)->StoredEntries(till->id());
    if (!n.ok() || *n != till->last_seq()) {
      if (bad++ < 10) std::cout << "CHECK FAILED: " << till->id() << " stored " << (n.ok() ? *n : -1) << "\n";
    }
  }
  for (const auto& [account, points] : expected) {
    auto b = (*store)->Balance(account);
    if (!b.ok() || !*b || (*b)->points != points) {
      if (bad++ < 10) std::cout << "CHECK FAILED: balance of " << account << "\n";
    }
  }
  auto disagreeing = (*store)->BalancesDisagreeing();
  if (!disagreeing.ok() || *disagreeing != 0) {
    std::cout << "CHECK FAILED: balances not the sum of their entries\n";
    ++bad;
  }
  std::cout << (bad == 0 ? "checks: every entry stored once, " + std::to_string(expected.size()) +
                               " balances agree with the tills and with the entries"
                         : "checks: " + std::to_string(bad) + " FAILED")
            << std::endl;
  return bad == 0 && failures.load() == 0 ? 0 : 1;
}
